"""The API's JSON parser: camelCase keys in, snake_case out, exactly as
djangorestframework-camel-case converts them, but each distinct key converted once per process
and every object converted as ``json`` builds it. A batch of 500 orders holds a dozen distinct
keys and thousands of objects: the library's recursive walk with a regex per key was a fifth of
an ingestion call (benchmarks, issue #8)."""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from djangorestframework_camel_case.settings import api_settings
from djangorestframework_camel_case.util import camel_to_underscore
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import PayloadTooLarge, too_large_message

_OPTIONS = api_settings.JSON_UNDERSCOREIZE


@lru_cache(maxsize=4096)
def snake_case(key: str) -> str:
    return camel_to_underscore(key, **_OPTIONS)


def _object(pairs: list[tuple[str, object]]) -> dict:
    return {snake_case(key): value for key, value in pairs}


def _has_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_has_nul(key) or _has_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_has_nul(item) for item in data)
    return False


class CamelCaseJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        # DRF hands us ``request.body``, within Django's DATA_UPLOAD_MAX_MEMORY_SIZE (over it:
        # 413 from the exception handler); the limit holds here too for any other stream (#9).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(too_large_message())
        try:
            text = raw.decode(encoding)
            data = json.loads(text, object_pairs_hook=_object)
            # PostgreSQL cannot store NUL in text; JSON can only carry it escaped.
            has_nul = "\\u0000" in text and _has_nul(data)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        except RecursionError:
            raise ParseError(_("JSON parse error - nested too deeply.")) from None
        if has_nul:
            raise ParseError(_("NUL characters (\\u0000) are not accepted."))
        return data
