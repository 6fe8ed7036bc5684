"""Pure: one conversation layer. A message and its context become a Reply value; the edges
(Slack, the console, `briefbot ask`) render it and send it."""
