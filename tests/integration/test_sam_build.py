"""The SAM application validates, translates and builds, and the built layer is what Lambda needs (no AWS account).

The application is built twice: as shipped, for arm64 (its shared objects are checked to be aarch64 and its sizes
against Lambda's limit), and for x86_64 from the same template and Makefiles (LAMBDA_ARCH=x86_64), so that this
machine can import each function with its own layers and render a clip with the built video layer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

# One worker builds, and every test of this file reads its builds (tests/conftest.py: work_unit).
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
TIMEOUT_SECONDS = 600
# Flags word of a .pyc header (PEP 552): bit 0 = hash-based, bit 1 = check the source. 1 = unchecked hash.
UNCHECKED_HASH_PYC = 0b01


@cache
def _sam_cli() -> Path:
    """`SAM_CLI` if set, else the project's own SAM venv; never skipped, since CI must prove the build."""
    configured = os.environ.get("SAM_CLI")
    sam = Path(configured) if configured else REPO / ".venv-sam" / "bin" / "sam"
    if not (sam.is_file() and os.access(sam, os.X_OK)):
        origin = "SAM_CLI" if configured else "the default location"
        pytest.fail(
            f"SAM CLI not found at {sam} ({origin}). Create the SAM venv (`make`, which installs aws-sam-cli into "
            ".venv-sam) or set SAM_CLI=/path/to/sam.",
            pytrace=False,
        )
    return sam


def _is_python312(python: Path | str) -> bool:
    try:
        probe = subprocess.run(
            [str(python), "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.stdout.strip() == "True"


@cache
def _python312() -> Path:
    """A Python 3.12 interpreter for `sam build` (the functions' runtime check and the layer Makefile)."""
    candidates: list[Path] = []
    if sys.version_info[:2] == (3, 12):
        candidates.append(Path(sys.executable).parent / "python3.12")
    pyenv = shutil.which("pyenv")
    if pyenv:
        prefix = subprocess.run(
            [pyenv, "prefix", "3.12.1"], capture_output=True, text=True, timeout=60, check=False
        ).stdout.strip()
        if prefix:
            candidates.append(Path(prefix) / "bin" / "python3.12")
    on_path = shutil.which("python3.12")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and _is_python312(candidate):
            return candidate
    pytest.fail(f"no Python 3.12 interpreter found (tried {[str(c) for c in candidates]})", pytrace=False)


def _environment(python: Path) -> dict[str, str]:
    env = dict(os.environ)
    # sam looks up `python3.12` on PATH; the layer Makefile uses $(PYTHON).
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHON"] = str(python)
    env["SAM_CLI_TELEMETRY"] = "0"
    # The test runner's PYTHONPATH must not leak into the SAM venv (it pins its own boto3, click, pydantic).
    env.pop("PYTHONPATH", None)
    return env


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def _run(command: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run from the repository root; a timeout becomes a failed result (exit 124) rather than an exception."""
    started = time.monotonic()
    try:
        completed = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        stderr = f"{_text(error.stderr)}\ntimed out after {TIMEOUT_SECONDS} s"
        completed = subprocess.CompletedProcess(command, 124, _text(error.stdout), stderr)
    return completed, time.monotonic() - started


def _explain(completed: subprocess.CompletedProcess[str]) -> str:
    command = " ".join(completed.args)
    return f"{command} exited {completed.returncode}:\n{completed.stdout[-6000:]}\n{completed.stderr[-6000:]}"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The application as shipped (arm64)."""
    return tmp_path_factory.mktemp("sam") / "build"


@pytest.fixture(scope="module")
def x86_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same application built for this machine's architecture, to import and run."""
    return tmp_path_factory.mktemp("sam-x86_64") / "build"


@cache
def _sam_build(build_dir: Path, architecture: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """One plain (uncached) `sam build` of the whole application per architecture, shared by the assertions below."""
    sam, python = _sam_cli(), _python312()
    template, environment = TEMPLATE, _environment(python)
    if architecture != "arm64":
        # The template with every architecture replaced; relative paths still resolve from the repository.
        template = build_dir.parent / "template.yaml"
        template.write_text(TEMPLATE.read_text().replace("arm64", architecture))
        environment["LAMBDA_ARCH"] = architecture  # the layer Makefiles' wheel platform (aarch64 by default)
    command = [str(sam), "build", "--template-file", str(template), "--base-dir", str(REPO)]
    completed, seconds = _run([*command, "--build-dir", str(build_dir), "--no-cached"], environment)
    print(f"sam build ({architecture}) took {seconds:.1f} s (exit {completed.returncode})")
    return completed, seconds


def _built(build_dir: Path, architecture: str = "arm64") -> Path:
    # Failures surface inside each test (FAILED, not a fixture ERROR), and the build is not retried per test.
    completed, _ = _sam_build(build_dir, architecture)
    assert completed.returncode == 0, _explain(completed)
    return build_dir


def _runnable(x86_build_dir: Path) -> Path:
    return _built(x86_build_dir, "x86_64")


def test_sam_validate_lint_passes() -> None:
    # Given
    command = [str(_sam_cli()), "validate", "--lint", "--template-file", str(TEMPLATE)]

    # When
    completed, _ = _run(command, _environment(_python312()))

    # Then
    assert completed.returncode == 0, _explain(completed)


def test_sam_translator_accepts_the_template(tmp_path: Path) -> None:
    # Given a config without `lint = true`: with it, `sam validate` runs cfn-lint only, and cfn-lint 1.x checks SAM
    # resources against schemas without running the SAM translator (it let `Authorizer: NONE` through, the translator
    # rejects it)
    config = tmp_path / "samconfig.toml"
    config.write_text("version = 0.1\n", encoding="utf-8")
    command = [
        str(_sam_cli()),
        "validate",
        "--template-file",
        str(TEMPLATE),
        "--config-file",
        str(config),
        "--region",
        "us-east-1",
    ]

    # When
    completed, _ = _run(command, _environment(_python312()))

    # Then
    assert completed.returncode == 0, _explain(completed)


def test_build_has_both_functions_and_the_layer(build_dir: Path) -> None:
    # Given
    built = _built(build_dir)
    expected = [
        "template.yaml",
        "RenderFunction/render_handler.py",
        "DeliverFunction/deliver_handler.py",
        "VideoFunction/video_handler.py",
        "CourierLayer/python",
        "PdfLayer/python/fpdf",
        "ProvidersLayer/python/dropbox",
        "VideoLayer/python/av",
    ]

    # When
    missing = [path for path in expected if not (built / path).exists()]

    # Then
    assert missing == []


def test_built_layer_ships_courier_without_the_tools(build_dir: Path) -> None:
    # Given
    layer = _built(build_dir) / "CourierLayer" / "python"

    # When
    shipped = {path.name for path in layer.iterdir()}

    # Then
    assert (layer / "courier" / "__init__.py").is_file()
    assert "courier_tools" not in shipped, "the admin and ops CLIs and the local stack are not shipped"


def test_built_layer_ships_botocore_models_of_the_services_the_package_calls_only(
    build_dir: Path, x86_build_dir: Path
) -> None:
    # Given the services the package makes clients for (every client goes through courier.platform.aws)
    from typing import get_args

    from courier.platform.aws import Service

    layer = _runnable(x86_build_dir) / "CourierLayer" / "python"
    services = sorted(get_args(Service))

    # When the layer is built, as shipped (arm64) and to run here (its Makefile keeps BOTOCORE_SERVICES' models only)
    shipped = [
        sorted(path.name for path in (built / "botocore" / "data").iterdir() if path.is_dir())
        for built in (_built(build_dir) / "CourierLayer" / "python", layer)
    ]

    # Then those are the ones shipped, and a fresh interpreter with the layer makes a client of each and the table
    assert shipped == [services, services]
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import boto3; "
        "[boto3.client(name, region_name='us-east-1') for name in sys.argv[2:]]; "
        "boto3.resource('dynamodb', region_name='us-east-1').Table('t'); print('ok')"
    )
    completed = subprocess.run(
        [str(_python312()), "-I", "-c", script, str(layer), *services],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0 and completed.stdout.strip() == "ok", _explain(completed)


@pytest.mark.parametrize("package", ["courier", "pydantic"])
def test_built_layer_ships_unchecked_hash_bytecode(build_dir: Path, package: str) -> None:
    # Given
    pycache = _built(build_dir) / "CourierLayer" / "python" / package / "__pycache__"

    # When
    compiled = sorted(pycache.glob("*.cpython-312.pyc"))

    # Then: valid without the sources' mtimes, which a Lambda zip does not preserve
    assert compiled, f"no .pyc in {pycache}"
    for pyc in compiled:
        flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
        assert flags == UNCHECKED_HASH_PYC, f"{pyc.name}: flags {flags:#b}"


def test_built_layer_imports_in_a_fresh_interpreter(x86_build_dir: Path) -> None:
    # Given an isolated interpreter (-I: no PYTHONPATH, no user site) that sees the layer first, as /opt/python
    layer = _runnable(x86_build_dir) / "CourierLayer" / "python"
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import courier, pydantic, pydantic_core, aws_lambda_powertools, boto3, PIL.Image; "
        "print('\\n'.join(m.__file__ for m in (courier, pydantic, pydantic_core, aws_lambda_powertools, boto3, PIL)))"
    )

    # When
    completed = subprocess.run(
        [str(_python312()), "-I", "-c", script, str(layer)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    # Then every module, compiled ones included, comes from the layer
    assert completed.returncode == 0, _explain(completed)
    origins = completed.stdout.split()
    assert origins
    assert all(Path(origin).is_relative_to(layer) for origin in origins), origins


def test_the_video_layer_encodes_with_the_courier_layer_in_a_fresh_interpreter(
    x86_build_dir: Path, tmp_path: Path
) -> None:
    # Given an isolated interpreter that sees both layers, as VideoFunction does (/opt/python holds both)
    built = _runnable(x86_build_dir)
    script = (
        "import sys; sys.path[:0] = sys.argv[1:3]; import av; "
        "from pathlib import Path; from courier.engine.starters import get_template; "
        "from courier.engine.clip import ClipSettings, render_clips; "
        "clip = render_clips(get_template('promo-video'), {}, 'mp4', Path(sys.argv[3]), "
        "settings=ClipSettings(end=0.2))[0]; print(av.__file__, clip.frames, clip.path.stat().st_size)"
    )

    # When it renders the first 0.2 s of the animated starter as MP4
    completed = subprocess.run(
        [
            str(_python312()),
            "-I",
            "-c",
            script,
            str(built / "VideoLayer" / "python"),
            str(built / "CourierLayer" / "python"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    # Then PyAV comes from the video layer, and the clip has its 6 frames
    assert completed.returncode == 0, _explain(completed)
    origin, frames, size = completed.stdout.split()
    assert Path(origin).is_relative_to(built / "VideoLayer" / "python") and frames == "6" and int(size) > 0


# Each function's layers, as template.yaml gives them (the Globals' CourierLayer first); Lambda unpacks them all
# into /opt, so a function and its layers together must fit in 250 MB (262,144,000 bytes) unzipped.
FUNCTION_LAYERS = {
    "RenderFunction": ["CourierLayer", "PdfLayer", "ProvidersLayer"],
    "DeliverFunction": ["CourierLayer", "ProvidersLayer"],
    "VideoFunction": ["CourierLayer", "VideoLayer"],
}
LAMBDA_UNZIPPED_MAX = 262_144_000
HANDLERS = {"RenderFunction": "render_handler", "DeliverFunction": "deliver_handler", "VideoFunction": "video_handler"}


def _bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def test_the_template_gives_each_function_the_layers_checked_here() -> None:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            return {suffix: loader.construct_scalar(node)}
        if isinstance(node, yaml.SequenceNode):
            return {suffix: loader.construct_sequence(node)}
        return {suffix: loader.construct_mapping(node)}  # type: ignore[arg-type]

    Loader.add_multi_constructor("!", tag)
    template = yaml.load(TEMPLATE.read_text(), Loader=Loader)  # noqa: S506 - SafeLoader with !Ref as data
    shared = [ref["Ref"] for ref in template["Globals"]["Function"]["Layers"]]
    for function, layers in FUNCTION_LAYERS.items():
        own = [ref["Ref"] for ref in template["Resources"][function]["Properties"].get("Layers", [])]
        assert shared + own == layers, function
    # and every function and layer is arm64, the architecture the layer Makefiles build wheels for by default
    assert template["Globals"]["Function"]["Architectures"] == ["arm64"]
    for layer in {layer for layers in FUNCTION_LAYERS.values() for layer in layers}:
        resource = template["Resources"][layer]
        assert resource["Properties"]["CompatibleArchitectures"] == ["arm64"], layer
        assert resource["Metadata"]["BuildArchitecture"] == "arm64", layer


@pytest.mark.parametrize("function", sorted(FUNCTION_LAYERS))
def test_each_function_with_its_layers_fits_in_lambdas_250_mb(build_dir: Path, function: str) -> None:
    built = _built(build_dir)
    sizes = {part: _bytes(built / part) for part in [function, *FUNCTION_LAYERS[function]]}
    print(function, {part: f"{size / 1e6:.1f} MB" for part, size in sizes.items()})
    assert sum(sizes.values()) <= LAMBDA_UNZIPPED_MAX, sizes


@pytest.mark.parametrize("function", sorted(FUNCTION_LAYERS))
def test_each_handler_imports_with_its_own_layers_only(x86_build_dir: Path, function: str) -> None:
    # Given an isolated interpreter that sees the function's code and its layers only, as Lambda gives them
    built = _runnable(x86_build_dir)
    paths = [str(built / function), *(str(built / layer / "python") for layer in reversed(FUNCTION_LAYERS[function]))]
    script = f"import sys; sys.path[:0] = sys.argv[1:]; import {HANDLERS[function]}; print('ok')"
    environment = {"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_METRICS_NAMESPACE": "RenderCourier"}
    # When its handler module is imported (what a cold start does first)
    completed = subprocess.run(
        [str(_python312()), "-I", "-c", script, *paths],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        env=environment | {"PATH": os.environ.get("PATH", "")},
    )
    # Then nothing it needs lives in a layer it does not have
    assert completed.returncode == 0 and completed.stdout.strip() == "ok", _explain(completed)


ELF_MAGIC = b"\x7fELF"
EM_AARCH64 = 183  # e_machine (ELF header, offset 18, little-endian)


def test_every_shared_object_shipped_is_built_for_arm64(build_dir: Path) -> None:
    # Given the application as shipped, which template.yaml runs on arm64
    built = _built(build_dir)

    # When every ELF file of the functions and layers is read (.so, and executables bundled in wheels)
    machines: dict[int, list[str]] = {}
    for path in built.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                header = file.read(20)
            if header[:4] == ELF_MAGIC:
                machine = int.from_bytes(header[18:20], "little")
                machines.setdefault(machine, []).append(str(path.relative_to(built)))

    # Then there are some (pydantic-core, Pillow, PyAV, resvg …) and all are aarch64
    assert machines.get(EM_AARCH64), "no aarch64 shared object in the build"
    others = {machine: paths[:5] for machine, paths in machines.items() if machine != EM_AARCH64}
    assert others == {}, others
