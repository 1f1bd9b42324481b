#!/usr/bin/env bash
# Re-extract the console's translatable strings into the .ts files and compile them to .qm.
#   lifeline_zh_CN.ts        every console/, views/, widgets/ file but the 3D scene and replay
#   lifeline_scene_zh_CN.ts  the 3D scene and replay views
# Messages are wrapped as QCoreApplication.translate("Context", "text") or, in constant tables,
# QT_TRANSLATE_NOOP("Context", "text") and translated where shown. After running this, translate
# every new message (Qt Linguist, or the <translation> elements by hand; none may stay
# type="unfinished": tests/test_language.py checks) and run it again so the .qm files follow.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VENV:-.venv}/bin
out=resources/translations
mkdir -p "$out"

scene=(views/scene_view.py views/replay_*.py views/incident_library.py
       widgets/scene_*.py widgets/city_scene.py widgets/replay_timeline.py)
console=()
for file in console/*.py views/*.py widgets/*.py; do
  skip=0
  for other in "${scene[@]}"; do [[ $file == "$other" ]] && skip=1 && break; done
  [[ $skip == 0 ]] && console+=("$file")
done

for language in zh_CN; do
  "$bin/pyside6-lupdate" -no-obsolete "${console[@]}" -ts "$out/lifeline_$language.ts"
  "$bin/pyside6-lupdate" -no-obsolete "${scene[@]}" -ts "$out/lifeline_scene_$language.ts"
  for ts in "$out"/lifeline*_"$language".ts; do
    "$bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
  done
done
