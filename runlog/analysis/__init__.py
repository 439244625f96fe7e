"""Pure functions over entries and SQL aggregates: periods, correlation, streaks, records,
insights.

Nothing in this package opens the database or prints; callers feed it rows and render what
it returns. Submodules are imported directly (`from runlog.analysis.stats import spearman`)
so that `runlog add` only pays for the ones it uses.
"""
