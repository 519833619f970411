"""The API's JSON parser: camelCase keys in, snake_case out, exactly as
djangorestframework-camel-case converts them, but each distinct key converted once per process
and every object converted as ``json`` builds it. A batch of 500 orders holds a dozen distinct
keys and thousands of objects: the library's recursive walk with a regex per key was a fifth of
an ingestion call (benchmarks, issue #8)."""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from djangorestframework_camel_case.settings import api_settings
from djangorestframework_camel_case.util import camel_to_underscore
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_OPTIONS = api_settings.JSON_UNDERSCOREIZE


@lru_cache(maxsize=4096)
def snake_case(key: str) -> str:
    return camel_to_underscore(key, **_OPTIONS)


def _object(pairs: list[tuple[str, object]]) -> dict:
    return {snake_case(key): value for key, value in pairs}


class CamelCaseJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(stream.read().decode(encoding), object_pairs_hook=_object)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
