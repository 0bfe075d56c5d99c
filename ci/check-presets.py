#!/usr/bin/env python3
"""ci/check-presets.py: what CMakePresets.json must say.

Every configure preset that is not hidden has SIGPORT_WERROR and
SIGPORT_REQUIRE_TESTS ON, itself or through what it inherits, and no test
preset runs a failed test again (a retry hides a flaky test). Prints one
line per fault and exits 1, or prints one line and exits 0.
"""
import json
import sys

presets = json.load(open("CMakePresets.json"))
configure = {c["name"]: c for c in presets["configurePresets"]}


def value(name, key):
    preset = configure[name]
    if key in preset.get("cacheVariables", {}):
        return preset["cacheVariables"][key]
    parents = preset.get("inherits", [])
    if isinstance(parents, str):
        parents = [parents]
    for parent in parents:
        found = value(parent, key)
        if found is not None:
            return found
    return None


faults = []
for name, preset in configure.items():
    if preset.get("hidden"):
        continue
    for key in ("SIGPORT_WERROR", "SIGPORT_REQUIRE_TESTS"):
        if value(name, key) != "ON":
            faults.append(f"configure preset {name}: {key} is {value(name, key)}, not ON")
for test in presets.get("testPresets", []):
    repeat = test.get("execution", {}).get("repeat")
    if repeat is not None:
        faults.append(f"test preset {test['name']} runs failed tests again: {repeat}")
for fault in faults:
    print("configure:", fault)
if faults:
    sys.exit(1)
print("configure: every configure preset has SIGPORT_WERROR and "
      "SIGPORT_REQUIRE_TESTS ON; no test preset runs a failed test again")
