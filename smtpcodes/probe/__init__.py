"""probe: a live SMTP conversation up to RCPT (never DATA), each reply explained by explain/."""
