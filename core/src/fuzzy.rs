//! Edit distance for typo tolerance (category words, part numbers).

/// Optimal-string-alignment distance (Damerau–Levenshtein with adjacent
/// transpositions) between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

/// Whether the distance between `a` and `b` is at most `max`, computing
/// only until every path exceeds it.
pub fn within_distance(a: &[char], b: &[char], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let m = b.len();
    let mut prev2: Vec<usize> = vec![0; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur: Vec<usize> = vec![0; m + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(prev2[j - 2] + 1);
            }
            cur[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m] <= max
}

/// How many typos a word of this length may carry: none below 4
/// characters, one up to 6, two beyond.
pub fn allowed_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("resistor", "resistor"), 0);
        assert_eq!(edit_distance("resitor", "resistor"), 1);
        assert_eq!(edit_distance("reisstor", "resistor"), 1, "transposition");
        assert_eq!(edit_distance("capacitro", "capacitor"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("atmega32u4", "atmaga32u4"), 1);
        assert_eq!(edit_distance("condensateur", "condansateur"), 1);
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (a, b) in [
            ("resitor", "resistor"),
            ("abc", "xyz"),
            ("atmega32u4", "atmaga23u4"),
            ("", "ab"),
            ("ab", "ba"),
        ] {
            for max in 0..4 {
                assert_eq!(
                    within_distance(&c(a), &c(b), max),
                    edit_distance(a, b) <= max,
                    "{a} {b} {max}"
                );
            }
        }
    }
}
