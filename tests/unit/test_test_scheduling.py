"""make test's pytest-xdist schedule (tests/conftest.py): a module that starts a stack or a server runs on one worker,
so it starts once, the longest of them first; every other test is scheduled on its own, which keeps the two workers
evenly loaded to the end."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, work_unit


@pytest.mark.parametrize(
    "nodeid",
    [
        "tests/compat/test_orshot_sdk.py::test_render_from_template_in_every_response_type",
        "tests/contract/test_generated_client.py::test_storage_crud",
        "tests/integration/test_sam_build.py::test_built_layer_ships_unchecked_hash_bytecode[dropbox]",
    ],
)
def test_a_module_that_starts_a_stack_or_builds_is_one_unit(nodeid: str) -> None:
    assert work_unit(nodeid) == nodeid.split("::", 1)[0]


@pytest.mark.parametrize(
    "nodeid",
    [
        "tests/unit/test_naming.py::test_pattern[a@b]",
        "tests/functional/test_render_handler.py::test_render",
        "tests/integration/test_azure_destination.py::test_zero_bytes",
    ],
)
def test_any_other_test_is_its_own_unit(nodeid: str) -> None:
    assert work_unit(nodeid) == nodeid


def test_the_fuzzer_and_the_fault_suite_are_one_unit_so_they_never_run_at_once() -> None:
    from tests.conftest import FUZZ_THEN_FAULTS

    assert work_unit("tests/e2e/test_faults.py::test_fault_matrix[s3-429]") == FUZZ_THEN_FAULTS
    assert work_unit("tests/contract/test_fuzz.py::test_the_fuzzer_finds_nothing_but_known_defects") == FUZZ_THEN_FAULTS


def test_an_xdist_group_suffix_still_groups_where_pytest_keeps_it() -> None:
    assert work_unit("tests/functional/test_x.py::test_y@moto") == "moto"


def test_each_module_named_exists_and_the_longest_are_whole_modules() -> None:
    from tests.conftest import FUZZ_THEN_FAULTS, LONGEST_FIRST, NOT_TOGETHER, ONE_WORKER_PER_MODULE

    longest_modules = [unit for unit in LONGEST_FIRST if unit != FUZZ_THEN_FAULTS]
    for prefix in (*ONE_WORKER_PER_MODULE, *NOT_TOGETHER, *longest_modules):
        assert (ROOT / prefix).exists(), prefix
    for module in longest_modules:
        assert work_unit(f"{module}::test_x") == module
