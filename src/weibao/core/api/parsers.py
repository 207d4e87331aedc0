from __future__ import annotations

from typing import Any

from rest_framework.parsers import BaseParser

__all__ = ["TextParser", "YamlTextParser"]


class TextParser(BaseParser):
    media_type = "text/plain"

    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Any = None) -> Any:
        return stream.read().decode("utf-8", errors="replace")


class YamlTextParser(TextParser):
    """The spec endpoints take YAML as text; the spec validator parses it."""

    media_type = "application/yaml"
