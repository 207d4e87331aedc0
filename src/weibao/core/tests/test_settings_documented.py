"""Every environment variable weibao reads is documented in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_every_setting_variable_is_in_env_example():
    sources = [ROOT / "src/weibao/settings.py",
               ROOT / "src/weibao/core/management/commands/serve.py",
               ROOT / "src/weibao/conf/gunicorn.py"]
    used = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', text))
        used |= set(re.findall(r'environ\.get\("([A-Z_]+)"', text))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(),
                                re.MULTILINE))
    assert used, "no variables found: the pattern is broken"
    assert used - documented == set()
