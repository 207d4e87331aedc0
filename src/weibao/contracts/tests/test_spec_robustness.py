"""The contract spec under hostile or early input (issue 15 items 2 and 12): nested YAML aliases
are refused before they expand, values in messages stay short, and `weibao contract validate`
answers on a data folder `weibao migrate` has not set up — never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from weibao.conftest import World
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.loader import ALIAS_BUDGET, ALIAS_TEXT_BUDGET, load_yaml
from weibao.contracts.spec.validate import spec_errors, validate_text
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


def laughs(levels: int = 8, width: int = 9) -> str:
    """"Billion laughs": each level an alias list of the one before (1.5 KB, 9^8 values)."""
    lines = ["spec_version: 1",
             "a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    lines.append(f"contract: *a{levels}")
    return "\n".join(lines) + "\n"


def merge_laughs(levels: int = 8, width: int = 9) -> str:
    """The same with mappings and merge keys (<<: *name), which copy the merged pairs."""
    lines = ["spec_version: 1", "m0: &m0 {" + ", ".join(f"k{i}: lol" for i in range(width)) + "}"]
    for level in range(1, levels + 1):
        keys = ", ".join(f"k{i}: *m{level - 1}" for i in range(width))
        lines.append(f"m{level}: &m{level} {{<<: *m{level - 1}, {keys}}}")
    lines.append(f"contract: *m{levels}")
    return "\n".join(lines) + "\n"


# --- item 12: aliases -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [laughs(), merge_laughs()], ids=["lists", "merge-keys"])
def test_nested_aliases_are_refused_naming_the_line(text):
    with pytest.raises(SpecInvalid) as info:
        load_yaml(text)
    [error] = info.value.errors
    assert error.code == "yaml_alias_budget"
    message = error.message("en")
    assert message.startswith("(file): line ")
    assert f"more than {ALIAS_BUDGET} values" in message
    assert len(error.message("zh-hans")) < 300


def test_a_long_text_aliased_many_times_is_refused():
    """Each alias of a 100,000-character text would be copied into every message about it."""
    text = "spec_version: 1\nt: &t " + "x" * 100_000 + "\ncontract: [" + ", ".join(
        ["*t"] * 30) + "]\n"
    with pytest.raises(SpecInvalid) as info:
        load_yaml(text)
    [error] = info.value.errors
    assert error.code == "yaml_alias_text"
    assert error.message("en") == (
        f"(file): line 3: the aliases (*name) in this file repeat more than "
        f"{ALIAS_TEXT_BUDGET} characters of text; write the values out instead")


def test_an_alias_inside_its_own_value_is_refused():
    with pytest.raises(SpecInvalid) as info:
        load_yaml("spec_version: 1\ncontract: &c {title: *c}\n")
    assert info.value.messages("en") == [
        "(file): line 2: an alias (*name) refers to the value that contains it"]


def test_a_few_aliases_stay_allowed():
    data = load_yaml("defaults: &d {unit: working_days, amount: 10}\n"
                     "a: *d\nb: {<<: *d, amount: 15}\n")
    assert data["a"] == {"unit": "working_days", "amount": 10}
    assert data["b"] == {"unit": "working_days", "amount": 15}


@pytest.mark.django_db
def test_api_refuses_the_alias_bomb_with_a_bilingual_error(world: World):
    api = APIClient()
    api.force_authenticate(world.users["manager"])
    response = api.post("/api/contract-spec/validate/", laughs(),
                        content_type="application/yaml")
    assert response.status_code == 400
    [error] = response.json()["spec_errors"]
    assert error["code"] == "yaml_alias_budget"
    # a4 (line 6) is the first level whose aliases stand for more than the budget (9^5).
    assert error["message_en"].startswith("(file): line 6: the aliases")
    assert "6" in error["message_zh"]
    assert len(response.content) < 2000


@pytest.mark.django_db
def test_command_refuses_the_alias_bomb(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(laughs(), encoding="utf-8")
    with pytest.raises(CommandError, match="1 file"):
        call_command("contract", "--lang", "en", "validate", str(bomb),
                     stderr=(err := _Buffer()))
    assert f"{bomb}: (file): line 6: the aliases" in err.text


def test_a_huge_value_is_shown_cut_short_in_messages():
    """12: a value in an error message is never written out in full."""
    huge = [list(range(1000)) for _ in range(1000)]
    errors = spec_errors({"spec_version": 1, "contract": {"number": "X", "title": huge,
                                                          "amount": 1, "period": {}},
                          "parties": []})
    messages = [e.message("en") for e in errors]
    title = next(m for m in messages if m.startswith("contract.title: "))
    assert title.endswith("is not of type string") and len(title) < 150, title
    assert all(len(m) < 500 for m in messages)


class _Buffer:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


# --- item 2: before `weibao migrate` ------------------------------------------------------------

def _weibao(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the weibao command on an empty data folder (a fresh SQLite file, no tables)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env["WEIBAO_DATA_DIR"] = str(tmp_path)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from weibao.__main__ import main; main()", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False)


def test_validate_works_before_migrate(tmp_path):
    """Issue 15 item 2: on a fresh data folder `weibao contract validate` checks the four seed
    contracts (built-in calendars known without the database) and prints no traceback."""
    result = _weibao(tmp_path, "contract", "--lang", "en", "validate",
                     *sorted(str(p) for p in EXAMPLES.glob("*.yaml")))
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count(": OK") == 4


def test_validate_before_migrate_still_finds_errors(tmp_path):
    spec = tmp_path / "bad.yaml"
    text = (EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("percent: 50                  # 第二条 2 (2), L76",
                                 "percent: 40"), encoding="utf-8")
    result = _weibao(tmp_path, "contract", "--lang", "en", "validate", str(spec))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "payment.milestones: the milestone percents add up to 90, not 100" in result.stderr


def test_import_before_migrate_says_what_to_do_in_one_line(tmp_path):
    result = _weibao(tmp_path, "contract", "--lang", "en", "import",
                     str(EXAMPLES / "000-shanghai-sbk-outlets.yaml"))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "run `weibao migrate` first" in line


@pytest.mark.django_db
def test_validate_text_still_checks_against_the_database_once_migrated():
    """After migrate the checks consult the database as before (an unknown calendar)."""
    text = (EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text(encoding="utf-8")
    validate_text(text)
