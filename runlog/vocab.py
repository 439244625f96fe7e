"""The built-in emotion vocabulary: names with a valence, and the adjective forms people type.

The words are drawn from Gloria Willcox's Feeling Wheel: G. Willcox (1982), "The Feeling
Wheel: A Tool for Expanding Awareness of Emotions and Increasing Spontaneity and Intimacy",
Transactional Analysis Journal 12(4), 274-276, doi:10.1177/036215378201200411. Its six core
feelings give the valences: mad, sad and scared are negative; joyful, powerful and peaceful
positive. A few feelings that are both (vulnerability, nostalgia, surprise) are `mixed`.
Every name sits in one of the six families below; many are the wheel's own words (tired,
depressed, lonely, guilty, ashamed, anxious, helpless, insecure, confused, proud,
excited, hopeful, content, loving, thankful, relaxed), and runners' everyday words the
wheel lacks (drained, worn-out, overwhelmed, strong, free, clear-headed) are placed in
the family nearest them, as an adjective form of a name (in brackets) or as a name:

- sad: sadness (unhappy, down, low, blue, depressed, miserable), grief, loneliness,
  tiredness (tired, weary, sluggish), exhaustion (drained, worn-out), emptiness,
  hopelessness, boredom, guilt, shame, disappointment, discouragement, numbness;
- mad: anger, frustration, irritation, resentment, jealousy, hurt;
- scared: fear, anxiety, nervousness, overwhelm, stress, helplessness, insecurity,
  confusion, embarrassment, restlessness, self-doubt, panic;
- joyful: joy, excitement, energy, hope, euphoria;
- powerful: pride, accomplishment, strength, confidence, determination, motivation;
- peaceful: calm (peaceful, relaxed, serene), contentment, gratitude, love, relief,
  freedom, clarity (clear-headed), focus.

A name is stored in the runner's log with its valence (the `emotions` table); names are
never removed or renamed, since stored entries use them.
"""

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
    # Added in schema 2 (ADDED_BUILTINS below lists them for the migration that brings them
    # to logs made before).
    "tiredness": NEGATIVE,
    "overwhelm": NEGATIVE,
    "nervousness": NEGATIVE,
    "emptiness": NEGATIVE,
    "hopelessness": NEGATIVE,
    "helplessness": NEGATIVE,
    "restlessness": NEGATIVE,
    "irritation": NEGATIVE,
    "resentment": NEGATIVE,
    "jealousy": NEGATIVE,
    "hurt": NEGATIVE,
    "boredom": NEGATIVE,
    "confusion": NEGATIVE,
    "insecurity": NEGATIVE,
    "embarrassment": NEGATIVE,
    "discouragement": NEGATIVE,
    "self-doubt": NEGATIVE,
    "panic": NEGATIVE,
    "accomplishment": POSITIVE,
    "strength": POSITIVE,
    "confidence": POSITIVE,
    "determination": POSITIVE,
    "motivation": POSITIVE,
    "freedom": POSITIVE,
    "clarity": POSITIVE,
    "focus": POSITIVE,
    "euphoria": POSITIVE,
    "vulnerability": MIXED,
    "nostalgia": MIXED,
    "surprise": MIXED,
}

# The names schema 2 added, frozen as they shipped: a migration inserts these into a log
# created before them (never overwriting a name the runner had already added).
ADDED_BUILTINS: dict[str, str] = {
    name: BUILTIN_EMOTIONS[name]
    for name in (
        "tiredness", "overwhelm", "nervousness", "emptiness", "hopelessness", "helplessness",
        "restlessness", "irritation", "resentment", "jealousy", "hurt", "boredom",
        "confusion", "insecurity", "embarrassment", "discouragement", "self-doubt", "panic",
        "accomplishment", "strength", "confidence", "determination", "motivation",
        "freedom", "clarity", "focus", "euphoria",
    )
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
    # Everyday words, by the name they mean.
    "glad": "joy",
    "cheerful": "joy",
    "delighted": "joy",
    "elated": "joy",
    "happiness": "joy",
    "unhappy": "sadness",
    "down": "sadness",
    "low": "sadness",
    "blue": "sadness",
    "depressed": "sadness",
    "miserable": "sadness",
    "sorrowful": "sadness",
    "heartbroken": "grief",
    "tired": "tiredness",
    "weary": "tiredness",
    "sleepy": "tiredness",
    "sluggish": "tiredness",
    "fatigued": "tiredness",
    "drained": "exhaustion",
    "worn-out": "exhaustion",
    "spent": "exhaustion",
    "knackered": "exhaustion",
    "overwhelmed": "overwhelm",
    "nervous": "nervousness",
    "jittery": "nervousness",
    "empty": "emptiness",
    "hopeless": "hopelessness",
    "helpless": "helplessness",
    "restless": "restlessness",
    "irritated": "irritation",
    "annoyed": "irritation",
    "irritable": "irritation",
    "resentful": "resentment",
    "jealous": "jealousy",
    "envious": "jealousy",
    "furious": "anger",
    "bored": "boredom",
    "confused": "confusion",
    "insecure": "insecurity",
    "embarrassed": "embarrassment",
    "discouraged": "discouragement",
    "disheartened": "discouragement",
    "doubtful": "self-doubt",
    "panicked": "panic",
    "panicky": "panic",
    "frightened": "fear",
    "terrified": "fear",
    "uneasy": "anxiety",
    "tense": "stress",
    "pressured": "stress",
    "remorseful": "guilt",
    "humiliated": "shame",
    "isolated": "loneliness",
    "fragile": "vulnerability",
    "accomplished": "accomplishment",
    "strong": "strength",
    "powerful": "strength",
    "confident": "confidence",
    "determined": "determination",
    "motivated": "motivation",
    "free": "freedom",
    "clear": "clarity",
    "clear-headed": "clarity",
    "focused": "focus",
    "focussed": "focus",
    "euphoric": "euphoria",
    "relaxed": "calm",
    "serene": "calm",
    "tranquil": "calm",
    "grounded": "calm",
    "satisfied": "contentment",
    "fulfilled": "contentment",
    "optimistic": "hope",
    "appreciative": "gratitude",
    "thrilled": "excitement",
    "eager": "excitement",
    "energetic": "energy",
    "alive": "energy",
    "refreshed": "energy",
    "invigorated": "energy",
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


# Word beginnings that tell a feeling's valence (and, where one fits, the name to suggest),
# for words the vocabulary does not know. The longest matching beginning wins, so
# `hopelesss` is read by `hopeless`, not `hope`.
_NEGATIVE_STEMS: dict[str, str | None] = {
    "sad": "sadness", "depress": "sadness", "gloom": "sadness", "glum": "sadness",
    "miser": "sadness", "sorrow": "sadness", "melanchol": "sadness", "upset": "sadness",
    "unhapp": "sadness", "despair": "hopelessness", "hopeless": "hopelessness",
    "helpless": "helplessness", "powerless": "helplessness", "worthless": None,
    "useless": None, "pointless": None, "lifeless": "numbness", "listless": "tiredness",
    "joyless": None, "tire": "tiredness", "weary": "tiredness", "sleep": "tiredness",
    "fatig": "tiredness", "letharg": "tiredness", "exhaust": "exhaustion",
    "drain": "exhaustion", "burn": "exhaustion", "wreck": "exhaustion", "anx": "anxiety",
    "worr": "anxiety", "nerv": "nervousness", "jitter": "nervousness", "stress": "stress",
    "overwhelm": "overwhelm", "swamp": "overwhelm", "panic": "panic", "dread": "anxiety",
    "afraid": "fear", "scare": "fear", "fear": "fear", "fright": "fear", "terri": "fear",
    "angr": "anger", "anger": "anger", "furi": "anger", "rage": "anger", "hate": "anger",
    "irrit": "irritation", "annoy": "irritation", "grump": "irritation",
    "cranky": "irritation", "bittersweet": "nostalgia", "bitter": "resentment", "resent": "resentment",
    "jealous": "jealousy", "envi": "jealousy", "envy": "jealousy", "lonel": "loneliness",
    "alone": "loneliness", "isolat": "loneliness", "empt": "emptiness", "hollow": "emptiness",
    "numb": "numbness", "guilt": "guilt", "regret": "guilt", "asham": "shame",
    "shame": "shame", "embarrass": "embarrassment", "humiliat": "shame",
    "frustrat": "frustration", "disappoint": "disappointment", "discourag": "discouragement",
    "defeat": "discouragement", "disheart": "discouragement", "deflat": "discouragement",
    "confus": "confusion", "lost": "confusion", "insecur": "insecurity",
    "doubt": "self-doubt", "restless": "restlessness", "bored": "boredom", "hurt": "hurt",
    "griev": "grief", "grief": "grief", "mourn": "grief", "heartbr": "grief",
    "awful": None, "terribl": None, "horribl": None, "bad": None, "sick": None,
    "ill": None, "pain": None, "sore": None, "crap": None, "rubbish": None, "meh": None,
}
_POSITIVE_STEMS: dict[str, str | None] = {
    "happ": "joy", "joy": "joy", "glad": "joy", "cheer": "joy", "delight": "joy",
    "elat": "joy", "bliss": "joy", "ecsta": "joy", "jubil": "joy", "fun": "joy",
    "playful": "joy", "euphor": "euphoria", "high": "euphoria", "proud": "pride",
    "pride": "pride", "accomplish": "accomplishment", "achiev": "accomplishment",
    "triumph": "accomplishment", "success": "accomplishment", "strong": "strength",
    "strength": "strength", "power": "strength", "tough": "strength", "mighty": "strength",
    "confiden": "confidence", "brave": "confidence", "bold": "confidence",
    "secur": "confidence", "determin": "determination", "motivat": "motivation",
    "inspir": "motivation", "driven": "motivation", "calm": "calm", "relax": "calm",
    "peace": "calm", "seren": "calm", "tranquil": "calm", "zen": "calm", "ground": "calm",
    "centred": "calm", "centered": "calm", "rest": "calm", "grate": "gratitude",
    "thank": "gratitude", "bless": "gratitude", "apprecia": "gratitude", "hope": "hope",
    "optimis": "hope", "love": "love", "lovin": "love", "excit": "excitement",
    "thrill": "excitement", "eager": "excitement", "pump": "excitement",
    "content": "contentment", "satisf": "contentment", "fulfil": "contentment",
    "energ": "energy", "alive": "energy", "fresh": "energy", "invigor": "energy",
    "vital": "energy", "free": "freedom", "liberat": "freedom", "clear": "clarity",
    "focus": "focus", "relie": "relief", "light": None, "good": None, "great": None,
    "awesome": None, "amazing": None, "wonder": None, "fantastic": None, "brilliant": None,
    "fab": None, "superb": None, "fine": None, "well": None, "lucky": None, "worth": None,
    "eas": None, "comfort": None, "safe": None, "patient": None, "kind": None,
    "fearless": "confidence", "tireless": "determination", "effortless": None,
}
# Beginnings that turn a feeling round: `unhappy`, `dissatisfied`, `insecure`, `non-stop`.
_NEGATING_PREFIXES = ("un", "dis", "non-", "non", "not-", "in", "im", "de")
_OPPOSITE = {POSITIVE: NEGATIVE, NEGATIVE: POSITIVE, MIXED: MIXED}
# A typed word this close to a known spelling (difflib's ratio) is taken for a typo of it,
# and the hint does not offer to add it as a new name.
TYPO_RATIO = 0.75
# A word read by its stem is taken for a slip of another only when it is one letter off
# ('hopeles' for hopeless; 'restful' is no slip for resentful).
SLIP_RATIO = 0.9


def _stem_reading(word: str) -> tuple[str, str | None] | None:
    """(valence, name to suggest or None) from the longest known beginning of `word`."""
    best: tuple[int, str, str | None] | None = None
    for valence, stems in ((NEGATIVE, _NEGATIVE_STEMS), (POSITIVE, _POSITIVE_STEMS)):
        for stem, name in stems.items():
            if word.startswith(stem) and (best is None or len(stem) > best[0]):
                best = (len(stem), valence, name)
    if best is None:
        return None
    # a stem may name a mixed feeling ('bittersweet': nostalgia): the name's valence wins
    return BUILTIN_EMOTIONS.get(best[2], best[1]), best[2]


def guess_valence(typed: str, known: dict[str, str], vocabulary: dict[str, str]
                  ) -> tuple[str | None, str | None]:
    """A guess at the valence of a word the vocabulary does not know, and a known name of
    that valence close in meaning (either may be None): from the word's own beginning
    (`depressing` -> negative, sadness); else, for a word that turns another round
    (`un`-, `dis`-, `in`-, or -`less`), the opposite of that word's (`uninspired`,
    `joyless` -> negative; `fearless` -> positive)."""
    turned = [typed[len(prefix):] for prefix in _NEGATING_PREFIXES
              if typed.startswith(prefix) and len(typed) - len(prefix) >= 3]
    if typed.endswith("less") and len(typed) > 6:
        turned.append(typed[:-4])
    for rest in turned:
        valence = vocabulary.get(known.get(rest, ""))
        if valence is None:
            inner = _stem_reading(rest)
            valence = inner[0] if inner else None
        if valence is not None:
            return _OPPOSITE[valence], None
    # Last, the word's own beginning: a word that turns another round ('tireless',
    # 'calmless') must not be read by that other word's stem.
    return _stem_reading(typed) or (None, None)


def unknown_emotion_hint(typed: str, known: dict[str, str], vocabulary: dict[str, str]) -> str:
    """The hint for an emotion name nobody knows: the closest known names of the same
    valence, then how to add it. `typed` is the normalised name, `known` every accepted
    spelling -> name, `vocabulary` name -> valence.

    Never a feeling of the opposite valence: the typed word's valence is guessed
    (`guess_valence`) and names of the other one are dropped (`unhappy` is not offered
    joy). A built-in name (or its adjective) missing from an older log is offered as the
    exact `runlog emotions add` that brings it in."""
    import difflib

    typed = emotion_key(typed)
    builtin = ADJECTIVES.get(typed, typed)
    if builtin in BUILTIN_EMOTIONS and builtin not in vocabulary:
        return f"add it: runlog emotions add {builtin} --valence {BUILTIN_EMOTIONS[builtin]}"
    valence, synonym = guess_valence(typed, known, vocabulary)
    if synonym is not None and synonym not in vocabulary:
        synonym = None
    ratios = {spelling: difflib.SequenceMatcher(None, typed, spelling).ratio()
              for spelling in difflib.get_close_matches(typed, list(known), n=10)}
    nearest = max(ratios, key=ratios.get, default=None)
    from_stem = valence is not None and _stem_reading(typed) == (valence, synonym)
    if nearest is not None and (valence is None and ratios[nearest] >= TYPO_RATIO
                                or from_stem and ratios[nearest] >= SLIP_RATIO):
        # A slip of the keys takes the valence of the word it nearly is ('hopeles' is
        # hopeless, not hope); a word that turns another round keeps its own reading
        # ('unmotivated' stays the opposite of motivated).
        valence = vocabulary.get(known[nearest], valence)
        if synonym is not None and vocabulary.get(synonym) not in (valence, MIXED):
            synonym = None

    def fits(name: str) -> bool:
        other = vocabulary.get(name)
        return valence in (None, MIXED) or other in (None, MIXED) or other == valence

    close = [spelling for spelling in difflib.get_close_matches(typed, list(known), n=10)
             if fits(known[spelling])
             # a word whose kind can't be told is offered only what it may be a slip for
             and (valence is not None or ratios.get(spelling, 0.0) >= TYPO_RATIO)]
    # Only the near-best: 'sadd' should suggest sadness, not also fear (via 'scared').
    scores = {
        spelling: difflib.SequenceMatcher(None, typed, spelling).ratio() for spelling in close
    }
    best = max(scores.values(), default=0.0)
    close = [spelling for spelling in close if scores[spelling] >= best - 0.15]
    names = list(dict.fromkeys(known[spelling] for spelling in close))
    if synonym is not None and synonym not in names:
        names.insert(0, synonym)
    names = names[:3]
    if emotion_name_problem(typed) is None and typed not in ADJECTIVES:
        add = (f"Or add it: runlog emotions add {typed} --valence {valence}" if valence else
               f"Or add it: runlog emotions add {typed} --valence V, V positive, negative "
               "or mixed")
    else:  # no command that would add something else than what was typed
        add = f"A name of your own is {EMOTION_NAME_RULE}."
    if not names:
        return f"see `runlog emotions list`. {add}"
    question = (f"did you mean {names[0]}?" if len(names) == 1
                else f"did you mean {', '.join(names[:-1])} or {names[-1]}?")
    if best >= TYPO_RATIO:
        return question  # a slip of the keys ('sadd'): the name is all it needs
    return f"{question} {add}"
