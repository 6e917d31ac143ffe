"""classifier: the text classifier that routes each citizen message to the section that must act on it."""
