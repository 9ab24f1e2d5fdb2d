#!/usr/bin/env python3
"""Checks docs/export.md against DistillLab's exports in PyTorch.

Usage: check_export_pytorch.py DOC FOLDER

Runs the Python blocks of DOC whose first line says "(checked by DistillLab's tests)" (the PyTorch definitions and
the plain-Python safetensors reader), then, for each NAME.reference.safetensors in FOLDER (written by the test: the
input images and TorchSharp's logits), loads NAME.safetensors into the definition its metadata names, with
load_state_dict (strict), and compares PyTorch's logits with TorchSharp's. Prints one line per model; exits 1 when a
model differs by more than 1e-4 or nothing was checked.
"""
import pathlib
import re
import sys

import torch

TOLERANCE = 1e-4


def main(doc, folder):
    blocks = re.findall(r"```python\n(.*?)```", pathlib.Path(doc).read_text(encoding="utf-8"), re.S)
    checked = [b for b in blocks if "(checked by DistillLab's tests)" in b.splitlines()[0]]
    if len(checked) < 2:
        print(f"{doc}: expected the definitions block and the reader block, found {len(checked)} checked blocks")
        return 1
    names = {}
    for block in checked:
        exec(compile(block, doc, "exec"), names)

    worst, count = 0.0, 0
    for reference in sorted(pathlib.Path(folder).glob("*.reference.safetensors")):
        model_file = reference.with_name(reference.name.replace(".reference", ""))
        tensors, meta = names["load_safetensors"](str(model_file))
        build = names[meta["architecture"]]
        model = build(int(meta["image_size"]), int(meta["classes"]), int(meta["channels"]))
        model.load_state_dict(tensors)  # strict: names and shapes must match the definition
        model.eval()
        expected, _ = names["load_safetensors"](str(reference))
        with torch.no_grad():
            logits = model(expected["images"])
        difference = (logits - expected["logits"]).abs().max().item()
        print(f"{model_file.name}: {meta['architecture']} {meta['image_size']} px, {len(tensors)} tensors, "
              f"largest |PyTorch - TorchSharp| = {difference:.2e}")
        worst, count = max(worst, difference), count + 1
    if count == 0:
        print(f"no *.reference.safetensors in {folder}")
        return 1
    print(f"PyTorch {torch.__version__}: {count} models, largest difference {worst:.2e} (tolerance {TOLERANCE})")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
