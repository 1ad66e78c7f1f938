"""Pure listing transforms (no I/O): store DTOs in, TikTok Shop payload dicts and field errors out."""
