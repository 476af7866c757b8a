"""`qio --help` and each command's help read like the README: defaults and examples."""

from __future__ import annotations

import argparse
import shlex

import pytest

from qio_analysis.cli import EXAMPLES, build_parser


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_ends_its_help_with_examples():
    assert "examples:" in build_parser().format_help()
    for name, command in _commands().items():
        assert command.format_help().rstrip().endswith(EXAMPLES[name].rstrip()), name


@pytest.mark.parametrize(
    "name", ["reports", "validation-forms", "demo", "demo-data", "explore", "export"]
)
def test_every_option_says_its_default_or_that_it_is_a_switch(name):
    command = _commands()[name]
    for action in command._actions:
        if isinstance(action, argparse._HelpAction) or not action.option_strings:
            continue
        said = action.help or ""
        switch = isinstance(action, argparse._StoreTrueAction)
        assert switch or "default" in said or "required" in said or action.required, (
            name,
            action.option_strings,
        )


def test_the_qio_examples_parse():
    """Each example line that starts with `qio` is accepted by the parser as written."""
    parser = build_parser()
    for name, text in EXAMPLES.items():
        lines = text.splitlines()[1:]
        joined = " ".join(lines).replace("\\ ", " ")
        for part in joined.split("qio ")[1:]:
            words = shlex.split(part.split("  ")[0])
            if "--help" in words:
                continue
            args = parser.parse_args(words)
            assert args.command == words[0], (name, words)
