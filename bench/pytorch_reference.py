"""PyTorch reference for DistillLab's training benchmark: the lab's teacher and student, same
shapes, same optimizer, same batch size and thread count, timed the same way (Adam steps on
random data, first step untimed). Prints one JSON line. Run by `lab`'s `bench` command."""
import json
import sys
import time

import torch
from torch import nn


def teacher(size):
    side = size
    for _ in range(4):
        side = (side - 2) // 2
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5),
        nn.Flatten(), nn.Linear(128 * side * side, 512), nn.ReLU(), nn.Linear(512, 2))


def student(size):
    side = (size - 2) // 2
    return nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * side * side, 2))


def images_per_second(model, size, batch, steps):
    x = torch.rand(batch, 3, size, size)
    y = torch.randint(0, 2, (batch,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - start)


def main():
    size, batch, steps, threads = (int(a) for a in sys.argv[1:5])
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    print(json.dumps({
        "torchVersion": torch.__version__,
        "threads": torch.get_num_threads(),
        "teacherImagesPerSecond": images_per_second(teacher(size), size, batch, steps),
        "studentImagesPerSecond": images_per_second(student(size), size, batch, steps),
    }))


if __name__ == "__main__":
    main()
