"""The built-in emotion vocabulary: names with a valence, and the adjective forms people type."""

POSITIVE, NEGATIVE, MIXED = "positive", "negative", "mixed"
VALENCES = (POSITIVE, NEGATIVE, MIXED)

BUILTIN_EMOTIONS: dict[str, str] = {
    "joy": POSITIVE,
    "pride": POSITIVE,
    "relief": POSITIVE,
    "calm": POSITIVE,
    "gratitude": POSITIVE,
    "hope": POSITIVE,
    "love": POSITIVE,
    "excitement": POSITIVE,
    "contentment": POSITIVE,
    "energy": POSITIVE,
    "sadness": NEGATIVE,
    "grief": NEGATIVE,
    "anger": NEGATIVE,
    "anxiety": NEGATIVE,
    "stress": NEGATIVE,
    "guilt": NEGATIVE,
    "frustration": NEGATIVE,
    "disappointment": NEGATIVE,
    "loneliness": NEGATIVE,
    "fear": NEGATIVE,
    "shame": NEGATIVE,
    "exhaustion": NEGATIVE,
    "numbness": NEGATIVE,
    "vulnerability": MIXED,
    "nostalgia": MIXED,
    "surprise": MIXED,
}

# Adjective (and a few everyday) forms -> vocabulary name. Matched case-insensitively.
ADJECTIVES: dict[str, str] = {
    "happy": "joy",
    "joyful": "joy",
    "sad": "sadness",
    "grieving": "grief",
    "proud": "pride",
    "relieved": "relief",
    "calmer": "calm",
    "peaceful": "calm",
    "grateful": "gratitude",
    "thankful": "gratitude",
    "hopeful": "hope",
    "loved": "love",
    "loving": "love",
    "excited": "excitement",
    "content": "contentment",
    "energised": "energy",
    "energized": "energy",
    "angry": "anger",
    "mad": "anger",
    "anxious": "anxiety",
    "worried": "anxiety",
    "stressed": "stress",
    "guilty": "guilt",
    "frustrated": "frustration",
    "disappointed": "disappointment",
    "lonely": "loneliness",
    "afraid": "fear",
    "scared": "fear",
    "ashamed": "shame",
    "exhausted": "exhaustion",
    "numb": "numbness",
    "vulnerable": "vulnerability",
    "nostalgic": "nostalgia",
    "surprised": "surprise",
}

MAX_EMOTION_NAME = 30


def emotion_key(text: str) -> str:
    """An emotion name as runlog stores and compares it: trimmed, compatibility-normalised
    (NFKC: the ligature `ﬁ` is `fi`, a full-width `ａ` is `a`), lower-cased, then composed
    (NFC), so `Café`, `café` and `cafe` + combining accent are one name. `ß` stays `ß`."""
    from unicodedata import normalize

    text = str(text).strip()
    if text.isascii():
        return text.lower()
    return normalize("NFC", normalize("NFKC", text).lower())


def emotion_name_problem(name: str) -> str | None:
    """Why `name` (as `emotion_key` gives it) can't be an emotion name, or None. The one
    rule for `runlog emotions add`, runlog's file readers and the importer: letters of any
    language (with their accents and marks), hyphens only between letters, up to 30."""
    import unicodedata

    if not name:
        return "it is empty"
    if len(name) > MAX_EMOTION_NAME:
        return f"it is longer than {MAX_EMOTION_NAME} characters"
    if name[0] == "-" or name[-1] == "-":
        return "it starts or ends with a hyphen"
    if emotion_key(name) != name:
        return "it is not written in lower case"
    previous = "-"
    for char in name:
        if char == "-":
            pass
        elif char.isalpha():
            pass
        elif previous != "-" and unicodedata.category(char) in ("Mn", "Mc"):
            pass  # a mark on the letter before it (a vowel sign, a virama)
        else:
            return f"{char!r} is not a letter or a hyphen"
        previous = char
    return None


EMOTION_NAME_RULE = "letters and inner hyphens, up to 30"


def unknown_emotion_hint(typed: str, known: dict[str, str], vocabulary: dict[str, str]) -> str:
    """The hint for an emotion name nobody knows: the closest known names. `typed` is the
    normalised name, `known` every accepted spelling -> name, `vocabulary` name -> valence."""
    import difflib

    close = difflib.get_close_matches(typed, list(known), n=10)
    # Only the near-best: 'sadd' should suggest sadness, not also fear (via 'scared').
    scores = {
        spelling: difflib.SequenceMatcher(None, typed, spelling).ratio() for spelling in close
    }
    best = max(scores.values(), default=0.0)
    close = [spelling for spelling in close if scores[spelling] >= best - 0.15]
    names = list(dict.fromkeys(known[spelling] for spelling in close))[:3]
    if not names:
        return "see `runlog emotions list`"
    if len(names) == 1:
        return f"did you mean {names[0]}?"
    return f"did you mean {', '.join(names[:-1])} or {names[-1]}?"
