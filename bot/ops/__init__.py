"""Edge: what an operator sees of a running bot: metrics, log lines, readiness and `doctor`."""
