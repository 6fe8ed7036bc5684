"""Edge: the Slack app (Bolt) – build_app(deps) in bot.slack.app, HTTP and Socket Mode runners."""
