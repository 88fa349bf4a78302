"""The pure per-chunk stages: token tables, lexicon matching, features, scores, evidence."""
