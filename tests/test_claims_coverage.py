"""Every number in the five articles is a registered claim, or is listed below as not a claim.

The claims registry (``tests/claims/``) holds what the articles *say*; this file checks that
nothing they say with a number is missing from it. Each number token of an article (the regex
``NUMBER`` below, run over the whitespace-folded text) must lie inside the passage of some
claim's quote, or inside one of the passages in ``IGNORED`` (each with the reason it is not a
claim), or be the precision of an f-string format spec (``{x:.4f}``: how a listing prints, not
what it claims).

Two things the page extraction did to the articles are handled explicitly:

- ``GLUED_TABLES``: article D's table lost its cell borders (``1.0831.082(1.08 - 3)`` is "1.08",
  step "3", "1.08", "2(1.08 - 3)"), so there a token counts as covered when the claims cover
  part of it.
- ``GLUED_TO_WORDS``: digits stuck to a preceding word are read as part of a name (``w1``,
  ``beta2``), so the regex skips them; the few that are really numbers were reviewed by hand and
  are listed, so that a changed article fails here instead of slipping through.

The ignore list is kept honest by tests too: every passage must occur exactly once in its
article, must contain at least one number that no claim covers (no dead entries), and must not
contain a claimed number (deleting that claim would go unnoticed).
"""

from __future__ import annotations

import re

import pytest

from tests.claims import ARTICLES, all_claims, article_text, fold, require_articles

#: a number: digits with optional thousands commas, decimals, exponent (``1e-5``, D's ``1e\-4``);
#: not preceded by a letter, digit, underscore or dot (``w1``, ``β2`` and ``beta2`` are names)
NUMBER = re.compile(r"(?<![\w.])\.?[0-9](?:[0-9]|[.,](?=[0-9]))*(?:e\\?[-+]?[0-9]+)?")

#: the precision of an f-string replacement field: ``{x:.4f}``, ``{epoch:4d}``, ``{name:30s}``
FORMAT_SPEC = re.compile(r"\{[^{}]*:[<>^=+\- ]?[0-9]*(?:\.[0-9]+)?[dfegs%]\}")

LISTING = "listing code: the program's inputs and constants; what it prints is claimed where the article shows it"

#: Per article: (an exact passage of the article, why the numbers in it are not claims).
IGNORED: dict[str, list[tuple[str, str]]] = {
    "A": [
        ("#3: Gradient Descent (6 minutes read)", "series number and reading time"),
        ("θ(t+1) is the value", "notation: the index of the next iterate"),
        ("Let's use a learning rate of η = 0.1", "setting of the worked example (input); its effect is A-factor"),
        ("represented by θ(0) was 5", "starting point of the worked example (input)"),
        ("If J'‘(θ) < 0, the critical point is a local maximum (the function is concave down). "
         "If J'‘(θ) > 0", "statement of the second-derivative test (the rule, not a result)"),
        ("theta = torch.tensor(5.0, requires_grad=True) # Enable gradient tracking # Define hyperparameters "
         "eta = 0.1 # Learning rate total_steps = 15 # No. of iterations print(\"Step 0 (initial θ):\", "
         "theta.item()) print(\"Initial loss:\", (theta ** 2).item()) print() # Iterate for total_steps "
         "for step in range(1, total_steps + 1): # Forward pass loss = theta ** 2", LISTING),
        ("print(f\"loss = {round(loss_value, 3)}\") print(f\"θ = {round(theta.item(), 3)}\") "
         "print(f\"gradient = {round(gradient, 3)}\") print(f\"update = {round(eta * gradient, 3)}\")",
         "round(·, 3): the listing's print precision (its output is claimed, A-out-*)"),
        ("print(\"Final θ:\", round(theta.item(), 3)) print(\"Final loss:\", round((theta ** 2).item(), 3))",
         "round(·, 3) and θ ** 2 of the listing's last prints (their output: A-out-final-*)"),
        ("till step 15 are shown in the plot below", "describes a figure (notebook 02 plots the 15 steps)"),
        ("1. Stochastic Gradient Descent (SGD)", "list numbering"),
        ("2. Mini-Batch Gradient Descent Mini-batch", "list numbering"),
        ("(e.g., 32, 64, 256 samples", "typical batch sizes, given as examples"),
    ],
    "B": [
        ("def f(x): return x ** 2", "the function's definition (input)"),
        ("print(f\"Iteration {i+1}:", "loop counter of the listing's print"),
        ("start_x = 10learning_rate = 0.1num_iterations = 10", LISTING),
        ("- 1. Initialize Parameters", "list numbering"),
        ("- 2. Compute Loss", "list numbering"),
        ("- 3. Calculate Gradient", "list numbering"),
        ("- 4. Update Parameters", "list numbering"),
        ("- 5. Repeat Continue steps 2-4", "list numbering"),
        ("X = np.array([1, 2, 3, 4, 5]) # Hours studiedy = np.array([2, 4, 5, 4, 5])",
         "the data set (input)"),
        ("m = 0.0 # slopeb = 0.0 # intercept# Hyperparameterslearning_rate = 0.01epochs = 1000n = len(X)",
         LISTING),
        ("for epoch in range(epochs): # 1. Make predictions y_pred = m * X + b # 2. Calculate loss",
         "comment numbering in the listing"),
        ("# 4. Update parameters (Gradient Descent step!)", "comment numbering in the listing"),
        ("if epoch % 100 == 0:", "the listing prints every 100th epoch (input)"),
        ("print(f\"Prediction for 6 hours studied: {m * 6 + b:.2f}\")",
         "the listing's print (its output is claimed, B-predict-6h)"),
        ("1. Batch GD Uses entire dataset", "list numbering"),
        ("2. Stochastic GD Uses 1 sample for each update", "list numbering and the definition of SGD"),
        ("3. Mini-Batch GD ⭐ Uses small batch (e.g., 32-256 samples)",
         "list numbering and typical batch sizes"),
        ("X = np.array([[1], [2], [3], [4], [5]])y = np.array([2, 4, 5, 4, 5])", "the data set (input)"),
        ("gradient = (1/m) * X.T.dot(errors) return gradient# 1. BATCH GRADIENT DESCENTdef "
         "batch_gd(X, y, learning_rate=0.01, epochs=100): theta = np.zeros(X.shape[1])",
         LISTING + " (B states no loss for this gradient; it is the half-MSE's, notebook 03)"),
        ("# 2. STOCHASTIC GRADIENT DESCENTdef stochastic_gd(X, y, learning_rate=0.01, epochs=100): "
         "theta = np.zeros(X.shape[1]) for epoch in range(epochs): for i in range(len(X)): "
         "xi = X[i:i+1] # Use ONE sample yi = y[i:i+1]", LISTING),
        ("# 3. MINI-BATCH GRADIENT DESCENTdef mini_batch_gd(X, y, batch_size=2, learning_rate=0.01, "
         "epochs=100): theta = np.zeros(X.shape[1])", LISTING),
        ("for i in range(0, len(X), batch_size):", LISTING),
        ("self.t = 0 # Time step", "the Adam class's code (its maths is checked: B-adam-class-parity)"),
        ("self.t += 1 # Update biased first moment estimate (momentum) self.m = self.beta1 * self.m + "
         "(1 - self.beta1) * gradients # Update biased second moment estimate (RMSprop) self.v = "
         "self.beta2 * self.v + (1 - self.beta2) * (gradients ** 2) # Compute bias-corrected moments "
         "m_hat = self.m / (1 - self.beta1 ** self.t) v_hat = self.v / (1 - self.beta2 ** self.t)",
         "the Adam class's code (its maths is checked: B-adam-class-parity)"),
        ("theta = np.array([1.0, 2.0])", "starting point of the usage example (input; no output shown)"),
        ("for iteration in range(100):", "iterations of the usage example (input; no output shown)"),
        ("Stochastic (uses 1 sample)", "definition of SGD"),
    ],
    "C": [
        ("2D Example (one parameter)", "figure label"),
        ("Step 1: Start at random point", "list numbering"),
        ("Step 2: Calculate gradient", "list numbering"),
        ("Step 3: Move opposite direction", "list numbering"),
        ("Step 4: Repeat until convergence The Gradient", "list numbering"),
        ("1D Example: Loss", "figure label"),
        ("(decrease θ)2D Example (two parameters)", "figure label"),
        ("Algorithm: 1. Initialize parameters θ randomly 2. Repeat until convergence: a. Compute gradient "
         "using ALL training data: ∇L(θ) = (1/m) Σᵢ₌₁ᵐ", "list numbering and the definition of the batch gradient"),
        ("alpha = 0.01 # learning rate", "setting in pseudocode (input)"),
        ("Data: (x, y) = [(1, 2), (2, 4), (3, 6)] Initialization: m = 0, b = 0, α = 0.1",
         "data and settings of the worked example (input)"),
        ("Neural Networks: 0.001 - 0.1 Common starting point: 0.01 Linear Models: 0.01 - 1.0",
         "rule-of-thumb ranges (advice, not a result; notebook 04 finds 2/L = 0.36 on C's own data)"),
        ("α = α₀ × e^(-kt)1/t Decay: α = α₀ / (1 + kt)", "definitions of two schedules (gdteach.schedules)"),
        ("Single random example per update Algorithm: 1. Initialize θ 2. Repeat", "list numbering"),
        ("Small batch of examples per update Algorithm: 1. Initialize θ 2. Repeat", "list numbering"),
        ("∇L(θ) = (1/|B|) Σ_(x,y)∈B", "definition of the mini-batch gradient"),
        ("Batch Sizes: Typically 32, 64, 128, 256", "typical batch sizes"),
        ("| Examples per update | All (m) | 1 | B (typically 32-256) |",
         "definitions of the three variants and typical batch sizes"),
        ("β ≈ 0.9", "typical value (Keras' default rho; torch's RMSprop alpha defaults to 0.99, notebook 05)"),
        ("def gradient_descent_batch(X, y, alpha=0.01, iterations=1000):", LISTING),
        ("if i % 100 == 0:", LISTING),
        ("X = np.array([[1, 1], [1, 2], [1, 3]]) # Include bias term y = np.array([2, 4, 6]) "
         "theta, history = gradient_descent_batch(X, y, alpha=0.1, iterations=1000)",
         LISTING + " (no output shown; notebook 02 prints it)"),
        ("def gradient_descent_minibatch(X, y, alpha=0.01, epochs=100, batch_size=32):", LISTING),
        ("for i in range(0, m, batch_size):", LISTING),
        ("if epoch % 10 == 0:", LISTING),
        ("theta = gradient_descent_minibatch(X, y, alpha=0.1, epochs=100, batch_size=2)",
         LISTING + " (no output shown; notebook 03 prints it)"),
        ("keras.layers.Dense(64, activation='relu', input_shape=(10,)), keras.layers.Dense(32, "
         "activation='relu'), keras.layers.Dense(1)", "model architecture in a listing with no output"),
        ("sgd = keras.optimizers.SGD(learning_rate=0.01) sgd_momentum = keras.optimizers.SGD("
         "learning_rate=0.01, momentum=0.9) rmsprop = keras.optimizers.RMSprop(learning_rate=0.001) "
         "adam = keras.optimizers.Adam(learning_rate=0.001)", "optimizer settings in a listing with no output"),
        ("model.fit(X_train, y_train, epochs=100, batch_size=32,", "training settings in a listing with no output"),
        ("nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1)",
         "model architecture in a listing with no output"),
        ("optimizer = optim.Adam(model.parameters(), lr=0.001) # Training loop for epoch in range(100):",
         "training settings in a listing with no output"),
        ("Challenge 1: Slow Convergence", "list numbering"),
        ("Challenge 2: Oscillation/Divergence", "list numbering"),
        ("Challenge 3: Getting Stuck", "list numbering"),
        ("Challenge 4: Vanishing/Exploding", "list numbering"),
        ("What to Track 1. Loss Curves", "list numbering"),
        ("2. Gradient Norms:", "list numbering"),
        ("3. Parameter Updates:", "list numbering"),
        ("4. Learning Rate: Track", "list numbering"),
        ("Practical Tips 1. Start with Adam", "list numbering"),
        ("2. Normalize Inputs X = (X - X.mean(axis=0)) / X.std(axis=0)", "list numbering and code (axis)"),
        ("3. Use Mini-Batches batch_size = 32 # or 64, 128, 256", "list numbering and typical batch sizes"),
        ("4. Monitor Training", "list numbering"),
        ("5. Learning Rate Finder # Try range of learning rates for lr in [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]:",
         "list numbering and the rates to try (input; notebook 04 runs them)"),
    ],
    "D": [
        ("Cached at: 05/26/26, 03:12 PM", "date and time the page was cached"),
        ("The derivative off\\(w\\) = \\(w \\- 3\\)²is:", "the function's definition (input)"),
        ("start withw = 0and a learning rateα = 0\\.1,", "settings of the worked example (input)"),
        ("New w: w - 0.1 * gradient", "the table's column header: the update rule with the example's α"),
        ("our same functionf\\(w\\) = \\(w \\- 3\\)²starting fromw = 0.", "the function and start (input)"),
        ("values like 0.001 or 0.01 are commonly used as a starting point. For large models like "
         "Transformers, even smaller values like1e\\-4are common.", "typical learning rates (advice)"),
        ("a simple functionf\\(w\\) = \\(w \\- 3\\)²to learn", "the function's definition (input)"),
        ("(commonly 32, 64, or 128,", "typical batch sizes"),
        ("A batch (e.g., 32 to 1024)", "typical batch sizes"),
        ("the same functionf\\(w\\) = \\(w \\- 3\\)²as below: w = 0.0 learning_rate = 0.1 for step in range(50):",
         LISTING),
        ("print(f\"Step {step + 1}:", "loop counter of the listing's print"),
        ("we start withw = 0\\.0and a learning rate of0\\.1.", "the listing's settings, restated (input)"),
    ],
    "E": [
        ("May 22, 20266 min read", "date and reading time"),
        ("lr: float = 0.01, n_epochs: int = 1000,", "default arguments of the listing (input)"),
        ("if epoch % 100 == 0:", LISTING),
        ("np.random.seed(42) n_patients = 500", "the data set's seed and size (input)"),
        ("np.random.normal(65, 15, n_patients), # age np.random.normal(2.5, 0.8, n_patients), # INR "
         "np.random.randint(0, 10, n_patients)", "the data set's distributions (input)"),
        ("true_W = np.array([0.1, 0.005, 0.08, 0.03]) y = X @ true_W + np.random.normal(0, 0.05, n_patients)",
         "the data set's true weights and noise (input)"),
        ("W_learned, losses = gradient_descent(X, y, lr=0.001, n_epochs=1000) print(f\"True W: {true_W}\") "
         "print(f\"Learned W: {W_learned.round(3)}\")",
         LISTING + " (E shows no output; its divergence is E-clinical-diverges, on 'guaranteed convergence')"),
        ("lr: float = 0.001, n_steps: int = 500,", "default arguments of the listing (input)"),
        ("x = torch.tensor(start[0],", LISTING),
        ("y = torch.tensor(start[1],", LISTING),
        ("path = trace_gradient_descent((-1.5, 1.5), lr=0.001, n_steps=2000) final_x, final_y, "
         "final_loss = path[-1]", LISTING + " (no output shown; notebook 04 prints it)"),
        ("nn.Linear(n_features, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1),",
         "model architecture in a listing with no output"),
        ("model = ClinicalRiskModel(n_features=10) optimizer = torch.optim.SGD(model.parameters(), lr=0.01)",
         "model settings in a listing with no output"),
        ("# 1. Zero gradients", "comment numbering in the listing"),
        ("# 2. Forward pass", "comment numbering in the listing"),
        ("# 3. Compute loss", "comment numbering in the listing"),
        ("# 4. Backward pass", "comment numbering in the listing"),
        ("# 5. Update weights", "comment numbering in the listing"),
        ("X_batch = torch.randn(32, 10) y_batch = torch.randint(0, 2, (32,)).float()",
         "random inputs of a listing with no output"),
        ("n_epochs: int = 100, ) -> dict[float, list[float]]:", "default argument of the listing (input)"),
        ("model = nn.Linear(10, 1)", "model of the listing (input)"),
        ("X = torch.randn(200, 10) y = torch.randn(200, 1)", "random data of the listing (input)"),
        ("lrs = [0.0001, 0.001, 0.01, 0.1, 1.0]", "the rates compared (input); the verdicts are claimed"),
        ("else f\"final={losses[-1]:.4f}\"", "index of the listing's print"),
        ("no_improve_count = 0 for epoch in range(max_epochs): epoch_loss = 0.0 n_batches = 0", LISTING),
        ("n_batches += 1", LISTING),
        ("best_loss = avg_loss no_improve_count = 0 else: no_improve_count += 1", LISTING),
    ],
}

#: passages whose cell borders the page extraction lost (partial overlap with a claim counts)
GLUED_TABLES: dict[str, list[str]] = {
    "D": [
        "gradient102(0 - 3) = -60 - 0.1 * (-6) = 0.620.62(0.6 - 3) = -4.80.6 - 0.1 * (-4.8) = "
        "1.0831.082(1.08 - 3) = -3.841.08 - 0.1 * (-3.84) = 1.46441.4642(1.464 - 3) = -3.0721.464 - "
        "0.1 * (-3.072) = 1.771251.77122(1.7712 - 3) = -2.45761.7712 - 0.1 * (-2.4576) = 2.0170",
    ],
}

#: every "word immediately followed by digits" in the articles, reviewed: names (w1, beta2,
#: float64) or numbers glued to a word that lie inside a claimed or ignored passage anyway
GLUED_TO_WORDS: dict[str, set[str]] = {
    "A": set(),
    "B": {"beta1", "beta2"},  # AdamOptimizer's attribute names
    "C": set(),
    "D": {
        "Descent1",  # "Stochastic Gradient Descent | 1 data point": the definition of SGD
        "gradient102",  # the glued table: step 1, w = 0, "2(0 - 3)" (claimed, D-table-step1-*)
        "around0\\.997",  # D-lr001-step20
        "of0\\.1.",  # ignored: the listing's learning rate, restated
        "like1",  # ignored: "like1e\\-4" typical learning rate
        "w1", "w2", "w2\\", "tow1", "andw2", "weightsw1",  # weight names w1, w2
    },
    "E": {"float64"},  # torch.float64
}
GLUED_WORD = re.compile(r"[^\W\d_]+[0-9][0-9.\\]*")

CLAIMS = all_claims()


@pytest.fixture(scope="session")
def articles() -> None:
    """The checks below read the articles' full text: one skip reason when it is absent."""
    require_articles()


def occurrences(text: str, passage: str) -> list[tuple[int, int]]:
    """Start and end of every occurrence of ``passage`` in ``text``."""
    spans, start = [], text.find(passage)
    while start >= 0:
        spans.append((start, start + len(passage)))
        start = text.find(passage, start + 1)
    return spans


def numbers(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in NUMBER.finditer(text)]


def claim_spans(key: str) -> list[tuple[int, int]]:
    text = article_text(key)
    return [span for c in CLAIMS if c.article == key for span in occurrences(text, fold(c.quote))]


def ignored_spans(key: str) -> list[tuple[int, int]]:
    text = article_text(key)
    spans = [span for passage, _ in IGNORED[key] for span in occurrences(text, fold(passage))]
    return spans + [(m.start(), m.end()) for m in FORMAT_SPEC.finditer(text)]


def overlaps(token: tuple[int, int, str], spans: list[tuple[int, int]]) -> bool:
    start, end, _ = token
    return any(a < end and start < b for a, b in spans)


def inside(token: tuple[int, int, str], spans: list[tuple[int, int]]) -> bool:
    start, end, _ = token
    return any(a <= start and end <= b for a, b in spans)


def table_spans(key: str) -> list[tuple[int, int]]:
    text = article_text(key)
    return [span for passage in GLUED_TABLES.get(key, []) for span in occurrences(text, fold(passage))]


def covered(token: tuple[int, int, str], spans: list[tuple[int, int]], tables: list[tuple[int, int]]) -> bool:
    """Inside a claimed or ignored passage; in a glued table, overlapping one is enough."""
    return inside(token, spans) or (inside(token, tables) and overlaps(token, spans))


def context(text: str, start: int, end: int, width: int = 40) -> str:
    return f"{text[start:end]!r} in …{text[max(0, start - width):end + width]}…"


def test_number_regex() -> None:
    text = "θ₁ = 0.8 × 5 = 4.0, w1, 100,000 steps, lr 1e-5 (1e\\-4), {x:.4f}, β2, [−2, −4]"
    assert [t for _, _, t in numbers(text)] == [
        "0.8", "5", "4.0", "100,000", "1e-5", "1e\\-4", ".4", "2", "4"
    ]
    assert [m.group() for m in FORMAT_SPEC.finditer("{x:.4f} {epoch:4d} {name:30s} {m * 6 + b:.2f} {x}")] == [
        "{x:.4f}", "{epoch:4d}", "{name:30s}", "{m * 6 + b:.2f}"
    ]


def test_every_article_has_an_ignore_list() -> None:
    assert set(IGNORED) == set(ARTICLES)


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_every_number_is_a_claim_or_ignored(key: str) -> None:
    text = article_text(key)
    spans, tables = claim_spans(key) + ignored_spans(key), table_spans(key)
    missing = [context(text, a, b) for a, b, t in numbers(text) if not covered((a, b, t), spans, tables)]
    assert not missing, f"article {key}: {len(missing)} numbers neither claimed nor ignored:\n" + "\n".join(missing)


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_ignored_passages_are_exact_unique_and_needed(key: str) -> None:
    text = article_text(key)
    claimed = claim_spans(key)
    tokens = numbers(text)
    for passage, reason in IGNORED[key]:
        assert reason.strip(), f"{key}: {passage!r} has no reason"
        spans = occurrences(text, fold(passage))
        assert len(spans) == 1, f"{key}: {passage!r} occurs {len(spans)} times in the article (need exactly 1)"
        inside = [t for t in tokens if overlaps(t, spans)]
        assert inside, f"{key}: {passage!r} contains no number"
        assert any(not overlaps(t, claimed) for t in inside), (
            f"{key}: every number in {passage!r} is already claimed: remove it from IGNORED"
        )


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_no_number_is_both_claimed_and_ignored(key: str) -> None:
    """An ignored passage must not swallow a claimed number: if it did, deleting the claim
    would go unnoticed."""
    text = article_text(key)
    claimed, ignored = claim_spans(key), ignored_spans(key)
    both = [context(text, a, b) for a, b, t in numbers(text)
            if overlaps((a, b, t), claimed) and overlaps((a, b, t), ignored)]
    assert not both, f"article {key}: claimed numbers inside ignored passages:\n" + "\n".join(both)


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_digits_glued_to_words_were_reviewed(key: str) -> None:
    text = article_text(key)
    assert {m.group() for m in GLUED_WORD.finditer(text)} == GLUED_TO_WORDS[key]


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(GLUED_TABLES))
def test_glued_tables_are_in_the_article(key: str) -> None:
    assert len(table_spans(key)) == len(GLUED_TABLES[key])
