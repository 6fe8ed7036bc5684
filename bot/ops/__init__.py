"""Edge: what an operator sees of a running bot: Prometheus metrics and log lines."""
