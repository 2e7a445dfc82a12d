# Word frequencies: builds a deterministic ~2M-word text with an LCG, splits it and
# counts words in a dict; prints the 10 most frequent (ties broken alphabetically).
# Exercises strings, join/split, dict lookups and updates.
# Optional argument: scale (default 1.0 = 2,000,000 words).
import sys

WORDS = ["the", "of", "and", "to", "in", "is", "that", "for", "it", "as",
         "was", "with", "be", "by", "on", "not", "he", "this", "are", "or",
         "his", "from", "at", "which", "but", "have", "an", "had", "they", "you",
         "were", "their", "one", "all", "we", "can", "her", "has", "there", "been",
         "thread", "lock", "queue", "python", "bytecode", "interpreter", "global",
         "counter", "race", "schedule", "memory", "object", "reference", "stack"]


def make_text(n):
    words = []
    x = 12345
    k = len(WORDS)
    for i in range(n):
        x = (x * 1664525 + 1013904223) % 4294967296
        # Squaring the index skews the distribution so the top 10 is well defined.
        j = (x >> 16) % k
        j = (j * j) // k
        words.append(WORDS[j])
    return " ".join(words)


def count(text):
    counts = {}
    for w in text.split():
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return counts


def top(counts, n):
    # Selection by hand: only plain comparisons, no sort keys.
    result = []
    taken = {}
    for r in range(n):
        best = None
        best_count = -1
        for w in counts:
            c = counts[w]
            if w in taken:
                continue
            if c > best_count or (c == best_count and w < best):
                best = w
                best_count = c
        if best is None:
            break
        taken[best] = True
        result.append(best)
    return result


def main():
    scale = 1.0
    if len(sys.argv) > 1:
        scale = float(sys.argv[1])
    n = int(2000000 * scale)
    counts = count(make_text(n))
    print("words:", n, "distinct:", len(counts))
    for w in top(counts, 10):
        print(w, counts[w])


main()
