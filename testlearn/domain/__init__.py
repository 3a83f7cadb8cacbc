"""Records, vocabularies, read models and invariants. No I/O happens here."""
