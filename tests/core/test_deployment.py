"""The deployment files agree with the code: docker-compose.yml, the Dockerfile, the docs.

Plain file parsing, no database: runs with ``-p no:django`` too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "sellercx" / "settings"
APP_SERVICES = ("web", "worker", "beat")
PRODUCTION_SETTINGS = "sellercx.settings.production"

# env("NAME", ...), env.bool("NAME", ...), env.int(...), env.list(...), env.json(...)
ENV_CALL = re.compile(
    r"""\benv(?:\.(?:bool|int|list|json|str|float))?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""
)


def settings_env_names() -> dict[str, set[str]]:
    """Every environment variable read in sellercx/settings/*.py, with the modules reading it."""
    names: dict[str, set[str]] = {}
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        for name in ENV_CALL.findall(path.read_text()):
            names.setdefault(name, set()).add(path.stem)
    return names


def required_in_production() -> set[str]:
    """The variables production.py reads with no default: the process stops without them."""
    tree = ast.parse((SETTINGS_DIR / "production.py").read_text())
    required = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        )
        if (
            is_env
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not any(keyword.arg == "default" for keyword in node.keywords)
        ):
            required.add(node.args[0].value)
    return required


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    path = ROOT / "Dockerfile"
    assert path.is_file(), "Dockerfile is missing"
    return path.read_text()


def environment(service: dict) -> dict[str, str | None]:
    """A service's environment as a dict, whichever of the two Compose spellings it uses."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else (item, None) for item in env)
        return dict(pairs)
    return {name: None if value is None else str(value) for name, value in env.items()}


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in logical.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


# --- docker-compose.yml --------------------------------------------------------------------------


def test_the_five_services_exist(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def test_app_services_share_one_build_and_the_production_settings(services):
    builds = {repr(services[name].get("build")) for name in APP_SERVICES}
    images = {services[name].get("image") for name in APP_SERVICES}
    assert services["web"].get("build"), "web must build the image"
    assert len(builds) == 1, f"web, worker and beat build differently: {builds}"
    assert len(images) == 1, f"web, worker and beat run different images: {images}"
    for name in APP_SERVICES:
        assert environment(services[name]).get("DJANGO_SETTINGS_MODULE") == PRODUCTION_SETTINGS


def test_production_settings_require_what_the_docs_say():
    assert required_in_production() == {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_set_every_variable_production_requires(services, service):
    env = environment(services[service])
    missing = sorted(name for name in required_in_production() if not env.get(name))
    assert not missing, f"{service} does not set {missing}"


def test_secret_key_must_come_from_the_operator(services):
    for name in APP_SERVICES:
        assert environment(services[name])["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_app_services_pass_every_settings_variable(services):
    """Each variable the settings read is listed, so operators see what they can set.

    DEBUG is left out on purpose: production settings force it off.
    """
    expected = set(settings_env_names()) - {"DEBUG"}
    for name in APP_SERVICES:
        missing = sorted(expected - set(environment(services[name])))
        assert not missing, f"{name} does not pass {missing}"


def test_app_services_reach_postgres_and_redis_by_service_name(services):
    for name in APP_SERVICES:
        env = environment(services[name])
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker", "beat"])
def test_healthchecks(services, service):
    test = services[service].get("healthcheck", {}).get("test")
    assert test, f"{service} has no healthcheck"


def test_web_healthcheck_calls_health_without_curl(services):
    test = services["web"]["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else test
    assert "/health/" in text
    assert "urllib" in text
    assert "curl" not in text


def test_web_migrates_then_serves_with_gunicorn(services):
    command = command_text(services["web"])
    assert "manage.py migrate --noinput" in command
    assert "gunicorn sellercx.wsgi:application" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert "8000:8000" in [str(port) for port in services["web"].get("ports", [])]


def test_app_services_wait_for_healthy_postgres_and_redis(services):
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("postgres", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)


def test_postgres_data_is_on_a_declared_named_volume(compose, services):
    declared = set(compose.get("volumes") or {})
    sources = [
        volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source")
        for volume in services["postgres"].get("volumes", [])
    ]
    assert "pgdata" in declared
    assert "pgdata" in sources


def test_worker_runs_the_celery_worker(services):
    assert "celery -A sellercx worker" in command_text(services["worker"])


def test_worker_and_beat_health_checks(services):
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "health --strict" in " ".join(services["beat"]["healthcheck"]["test"])


def test_beat_uses_the_database_scheduler(services):
    command = command_text(services["beat"])
    assert "celery -A sellercx beat" in command
    assert "django_celery_beat.schedulers:DatabaseScheduler" in command


def test_every_service_restarts_unless_stopped(services):
    for name, service in services.items():
        assert service.get("restart") == "unless-stopped", name


# --- Dockerfile -------------------------------------------------------------------------------


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = [args for keyword, args in dockerfile_instructions(dockerfile) if keyword == "USER"]
    assert users, "the Dockerfile has no USER line"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_cmd_serves_the_wsgi_app_with_gunicorn(dockerfile):
    commands = [args for keyword, args in dockerfile_instructions(dockerfile) if keyword == "CMD"]
    assert commands, "the Dockerfile has no CMD"
    assert "gunicorn" in commands[-1]
    assert "sellercx.wsgi:application" in commands[-1]


def test_dockerfile_collects_static_files_with_production_settings(dockerfile):
    assert "collectstatic --noinput" in dockerfile
    assert f"DJANGO_SETTINGS_MODULE={PRODUCTION_SETTINGS}" in dockerfile
    assert ("EXPOSE", "8000") in dockerfile_instructions(dockerfile)


# --- Vendored JavaScript ------------------------------------------------------------------------


def test_vendored_javascript_and_its_licenses_are_present():
    vendor = ROOT / "static" / "vendor"
    for name in ("htmx.min.js", "chart.umd.min.js"):
        assert (vendor / name).is_file(), name
    licenses = (vendor / "LICENSES.md").read_text()
    assert "htmx.org" in licenses
    assert "chart.js" in licenses


def test_templates_load_nothing_from_a_cdn():
    external = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if external.search(path.read_text())
    ]
    assert not offenders


# --- Documentation ------------------------------------------------------------------------------


def test_settings_read_the_expected_variables():
    """Guards the regex below against silently matching nothing."""
    names = settings_env_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT"} <= set(names)


def test_production_doc_lists_every_settings_variable():
    doc = (ROOT / "docs" / "production.md").read_text()
    missing = sorted(name for name in settings_env_names() if f"`{name}`" not in doc)
    assert not missing, f"docs/production.md does not document {missing}"


def test_readme_documents_every_settings_variable():
    path = ROOT / "README.md"
    assert path.is_file(), "README.md is missing"
    readme = path.read_text()
    missing = sorted(name for name in settings_env_names() if not re.search(rf"\b{name}\b", readme))
    assert not missing, f"README.md does not document {missing}"


def test_postgres_is_sized_for_a_marketplace_not_left_at_its_defaults(services):
    # PostgreSQL's defaults (128 MB of shared buffers) are for a small machine (#8).
    command = command_text(services["postgres"])
    assert "shared_buffers=${POSTGRES_SHARED_BUFFERS:-2GB}" in command
    assert "effective_cache_size=" in command
    assert services["postgres"]["shm_size"] == "1gb"
    documented = (ROOT / "docs" / "production.md").read_text()
    for variable in re.findall(r"\$\{(POSTGRES_\w+):-", command):
        assert f"`{variable}`" in documented


# --- Installing system packages -------------------------------------------------------------------

APT_GET = re.compile(r"\bapt-get\b(?P<args>[^\n;&|)]*)")


def test_every_apt_get_waits_for_another_package_managers_lock():
    """#18: with unattended-upgrades or another job holding dpkg's lock, apt-get waits for it
    (up to 10 minutes) instead of failing at once."""
    code = "\n".join(
        line
        for line in (ROOT / ".ci" / "apt-install").read_text().splitlines()
        if not line.lstrip().startswith("#")
    )
    calls = [match["args"] for match in APT_GET.finditer(code)]
    assert {"update", "install"} <= {word for args in calls for word in args.split()}
    missing = [args.strip() for args in calls if "-o DPkg::Lock::Timeout=600 " not in args]
    assert not missing, f"apt-get without -o DPkg::Lock::Timeout=600: {missing}"
    # apt-get update takes /var/lib/apt/lists/lock without waiting, whatever the option.
    assert "for attempt in $(seq 60)" in code
    assert '*"Could not get lock"*' in code


@pytest.mark.parametrize("name", [".ci/run", "Makefile"])
def test_packages_are_installed_only_through_the_waiting_script(name):
    code = (ROOT / name).read_text()
    assert ".ci/apt-install" in code
    assert not APT_GET.search(code), f"{name} calls apt-get itself"
