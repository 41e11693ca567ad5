"""Qt models that adapt what ``rrmdesk.Store`` returns; each is checked with ``qtmodeltester``."""
