"""The API's JSON renderer: snake_case keys out as camelCase, exactly as
djangorestframework-camel-case converts them, but each distinct key converted once per process.
A page of 20 orders has a dozen distinct keys and hundreds of dict entries; the library's walk,
with a regex per key, was a tenth of a list call's time (benchmarks, issue #8)."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.encoding import force_str
from django.utils.functional import Promise
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework.renderers import JSONRenderer


@lru_cache(maxsize=4096)
def camel_case(key: str) -> str:
    return re.sub(camelize_re, underscore_to_camel, key) if "_" in key else key


def camelize(data):
    if isinstance(data, dict):
        return {
            camel_case(force_str(k)) if isinstance(k, str | Promise) else k: camelize(v)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [camelize(item) for item in data]
    if isinstance(data, Promise):
        return force_str(data)
    return data


class CamelCaseJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        return super().render(camelize(data), accepted_media_type, renderer_context)
