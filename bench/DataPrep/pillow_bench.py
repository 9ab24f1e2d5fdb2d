"""Pillow side of the DataPrep benchmark (run with Debian's /usr/bin/python3 and python3-pil).

  pillow_bench.py recode <list>                  re-encode files in place: each line "path<TAB>progressive|cmyk<TAB>quality"
  pillow_bench.py dump <list> <out_dir>           write each file's 64x64 RGB resize to <out_dir>/<index>.rgb
  pillow_bench.py bench <list> <workers> <mode>  decode (mode decode), + resize to 64x64 antialiased (resize)
                                                 or + bilinear sampling to 64x64 without antialiasing (sample) every file in <list>,
                                                 in a pool of <workers> processes; prints one JSON line
"""
import json
import multiprocessing
import sys
import time

from PIL import Image


def recode(list_path):
    with open(list_path) as f:
        for line in f:
            path, kind, quality = line.rstrip("\n").split("\t")
            with Image.open(path) as im:
                im = im.convert("RGB")
            if kind == "progressive":
                im.save(path, "JPEG", quality=int(quality), progressive=True)
            elif kind == "cmyk":
                im.convert("CMYK").save(path, "JPEG", quality=int(quality))
            else:
                raise ValueError(kind)


def dump(list_path, out_dir):
    """Writes each file's 64x64 RGB bytes (antialiased bilinear resize) to <out_dir>/<index>.rgb, for comparison."""
    import os
    with open(list_path) as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    for i, path in enumerate(paths):
        with Image.open(path) as im:
            data = im.convert("RGB").resize((64, 64), Image.BILINEAR).tobytes()
        with open(os.path.join(out_dir, "%d.rgb" % i), "wb") as out:
            out.write(data)


def work(args):
    path, mode = args
    try:
        with Image.open(path) as im:
            im = im.convert("RGB")
            if mode == "resize":
                # BILINEAR with Pillow's default antialiasing, as ImageSharp's Triangle resampler.
                im = im.resize((64, 64), Image.BILINEAR)
            elif mode == "sample":
                # Bilinear sampling without antialiasing, as tf.image.resize's default: 4 source pixels per output pixel.
                w, h = im.size
                im = im.transform((64, 64), Image.AFFINE, (w / 64, 0, 0, 0, h / 64, 0), Image.BILINEAR)
            im.tobytes()
        return 0
    except Exception:
        return 1


def bench(list_path, workers, mode):
    with open(list_path) as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    with multiprocessing.Pool(workers) as pool:
        pool.map(work, [(paths[0], mode)] * workers)  # start the workers before timing
        start = time.perf_counter()
        failures = sum(pool.map(work, [(p, mode) for p in paths], chunksize=16))
        seconds = time.perf_counter() - start
    print(json.dumps({"count": len(paths), "seconds": seconds, "failures": failures,
                      "pillow": Image.__version__}))


if __name__ == "__main__":
    if sys.argv[1] == "recode":
        recode(sys.argv[2])
    elif sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    else:
        bench(sys.argv[2], int(sys.argv[3]), sys.argv[4])
