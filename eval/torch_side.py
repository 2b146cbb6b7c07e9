"""The torch 1.13 / scikit-learn 1.2 side of eval/accuracy.c's reduction table.

usage: /usr/bin/python3 eval/torch_side.py FILE N DO_SKLEARN

FILE holds N float32 probabilities p, then N float32 hard targets y (0/1),
written by the evaluator.  Prints, one per line, "key value" with value the
reference's mean loss on exactly these inputs (torch on one thread, so the
figure does not depend on the thread count):
  torch_f32    F.binary_cross_entropy(p, y)                    (float32)
  torch_f64    F.binary_cross_entropy(p.double(), y.double())  (float64)
  sklearn_f32  log_loss(y, p)                                  (float32 array)
  sklearn_f64  log_loss(y, p.astype(float64))
The evaluator compares each with the exact mathematical loss."""
import sys

import numpy as np


def main():
    path, n, do_sk = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
    raw = np.fromfile(path, dtype=np.float32, count=2 * n)
    p, y = raw[:n], raw[n:]
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    tp, ty = torch.from_numpy(p), torch.from_numpy(y)
    print("torch_f32 %.17g" % F.binary_cross_entropy(tp, ty).item())
    print("torch_f64 %.17g" % F.binary_cross_entropy(tp.double(), ty.double()).item())
    sys.stdout.flush()
    if do_sk:
        from sklearn.metrics import log_loss
        labels = y.astype(np.int64)
        print("sklearn_f32 %.17g" % float(log_loss(labels, p)))
        print("sklearn_f64 %.17g" % float(log_loss(labels, p.astype(np.float64))))


if __name__ == "__main__":
    main()
