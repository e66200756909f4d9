"""The collector: receives form answers, stores them, answers with accessible pages."""
