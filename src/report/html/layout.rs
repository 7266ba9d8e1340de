//! The network's layout, computed once in Rust so that the page only draws it: a
//! Fruchterman–Reingold force layout, deterministic (start on a sunflower spiral, most
//! connected persons in the middle; no randomness) and bounded in cost: a fixed number of
//! rounds, and repulsion only between persons in neighbouring cells of a grid, at most
//! [`CELL_CAP`] of them per cell, so that a round costs O(persons + edges) however dense the
//! network.

use rayon::prelude::*;

/// Persons a cell of the grid contributes to a neighbour's repulsion, at most.
pub const CELL_CAP: usize = 32;

/// Side of the square the layout is scaled into.
pub const SIDE: f64 = 1000.0;

/// Positions (in `0..=SIDE`) of `n` nodes joined by `edges` (a, b, weight).
pub fn layout(n: usize, edges: &[(usize, usize, u32)]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let mut degree = vec![0u64; n];
    for &(a, b, w) in edges {
        degree[a] += u64::from(w);
        degree[b] += u64::from(w);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(degree[i]), i));
    let k = (SIDE * SIDE / n as f64).sqrt() * 0.6;
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut pos = vec![(0.0, 0.0); n];
    for (rank, &i) in order.iter().enumerate() {
        let r = k * 0.8 * (rank as f64 + 0.5).sqrt();
        let a = rank as f64 * golden;
        pos[i] = (r * a.cos(), r * a.sin());
    }
    let rounds = if n <= 300 {
        200
    } else if n <= 1000 {
        120
    } else {
        80
    };
    let cell = 2.0 * k;
    let mut temperature = SIDE / 10.0;
    let cool = temperature / rounds as f64;
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
        std::collections::HashMap::new();
    for _ in 0..rounds {
        grid.clear();
        for (i, &(x, y)) in pos.iter().enumerate() {
            let c = ((x / cell).floor() as i64, (y / cell).floor() as i64);
            grid.entry(c).or_default().push(i);
        }
        // repulsion, in parallel: each person reads the positions of the last round only
        disp.par_iter_mut().enumerate().for_each(|(i, d)| {
            let (x, y) = pos[i];
            let (cx, cy) = ((x / cell).floor() as i64, (y / cell).floor() as i64);
            let mut f = (0.0, 0.0);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    let Some(members) = grid.get(&(cx + dx, cy + dy)) else {
                        continue;
                    };
                    for &j in members.iter().take(CELL_CAP) {
                        if j == i {
                            continue;
                        }
                        let (mut ddx, mut ddy) = (x - pos[j].0, y - pos[j].1);
                        let mut dist2 = ddx * ddx + ddy * ddy;
                        if dist2 < 1e-6 {
                            // two persons on one spot: part them the same way every time
                            ddx = if i < j { 0.1 } else { -0.1 };
                            ddy = 0.05;
                            dist2 = ddx * ddx + ddy * ddy;
                        }
                        if dist2 > cell * cell {
                            continue;
                        }
                        let push = k * k / dist2;
                        f.0 += ddx * push;
                        f.1 += ddy * push;
                    }
                }
            }
            // gravity: unconnected persons stay near the rest
            f.0 -= x * 0.2 * k / SIDE;
            f.1 -= y * 0.2 * k / SIDE;
            *d = f;
        });
        for &(a, b, w) in edges {
            if a == b {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(1e-3);
            // the classic d²/k pull, stronger for more letters
            let pull = dist / k * (1.0 + f64::from(w).ln()) * 0.5;
            let (fx, fy) = (dx * pull, dy * pull);
            disp[a].0 -= fx;
            disp[a].1 -= fy;
            disp[b].0 += fx;
            disp[b].1 += fy;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.0 * d.0 + d.1 * d.1).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                p.0 += d.0 / len * step;
                p.1 += d.1 / len * step;
            }
        }
        temperature = (temperature - cool).max(1.0);
    }
    scale(&pos)
}

/// `pos` scaled into a margin-kept square of side [`SIDE`].
fn scale(pos: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let span = (x1 - x0).max(y1 - y0).max(1e-6);
    let margin = 40.0;
    let s = (SIDE - 2.0 * margin) / span;
    let (ox, oy) = (
        margin + (SIDE - 2.0 * margin - (x1 - x0) * s) / 2.0,
        margin + (SIDE - 2.0 * margin - (y1 - y0) * s) / 2.0,
    );
    pos.iter()
        .map(|&(x, y)| (((x - x0) * s + ox).round(), ((y - y0) * s + oy).round()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_inside_the_square_and_parted() {
        let edges: Vec<(usize, usize, u32)> = (1..40).map(|i| (0, i, i as u32 % 3 + 1)).collect();
        let a = layout(40, &edges);
        assert_eq!(a, layout(40, &edges));
        assert!(a
            .iter()
            .all(|&(x, y)| (0.0..=SIDE).contains(&x) && (0.0..=SIDE).contains(&y)));
        let mut spots: Vec<(i64, i64)> = a.iter().map(|&(x, y)| (x as i64, y as i64)).collect();
        spots.sort_unstable();
        spots.dedup();
        assert_eq!(spots.len(), 40, "no two persons on one spot");
        assert_eq!(layout(1, &[]), vec![(SIDE / 2.0, SIDE / 2.0)]);
    }
}
