"""Logging helpers: a filter that scrubs anything that looks like a secret from log records."""

from __future__ import annotations

import logging
import re

_SECRET_KEYS = re.compile(
    r"(?i)(access[_-]?token|refresh[_-]?token|app[_-]?secret|consumer[_-]?secret|client[_-]?secret|password|"
    r"api[_-]?key|authorization|x-shopify-access-token|x-tts-access-token|sign)"
    r"(\"?\s*[:=]\s*\"?)([^\s\"&,}]+)"
)


def redact(text: str) -> str:
    return _SECRET_KEYS.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, dict):
                record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
            else:
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
