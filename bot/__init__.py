"""briefbot: keeps a Slack team briefed on AI trends, with sources and disagreements."""
