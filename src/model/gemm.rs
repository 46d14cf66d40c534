//! Matrix products `C ← A·B + β·C` for the network's small shapes.
//!
//! Natively the products go to matrixmultiply (through ndarray), whose kernels use the CPU's
//! AVX2 and FMA. In the browser its wasm kernel is the engine's hottest function: an 8 × 8
//! register block needs 16 accumulators plus the loaded vectors, more than the 16 vector
//! registers V8 has on x86-64, so it spills, and every call packs both operands although the
//! network's matrices are at most a few hundred × 64. [`blocked`] is written for those
//! shapes instead: B's rows are read in place (copied once only when B is a transposed view),
//! A is read through its strides, and a 4 × 8 block of C stays in 8 `simd128` registers
//! (written with the intrinsics: LLVM does not vectorise the portable form for wasm). Each
//! element of C is the sum over k in order, then `β·C` is added. The wasm build uses it for
//! `f32` ([`Float::mat_mul`](super::Float::mat_mul)); the tests below check the portable form
//! natively against ndarray's product and the sum written out, `tests/web.rs` the `simd128`
//! form in the browser against the same sum, to the bit.

use ndarray::{ArrayView2, ArrayViewMut2};

/// One row of a block's sums: two vectors of four lanes in the browser, an array elsewhere.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
type Sums = [core::arch::wasm32::v128; 2];
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
type Sums = [f32; NR];

/// Rows of C per block.
const MR: usize = 4;
/// Columns of C per block.
const NR: usize = 8;

/// `C ← A·B + β·C` for any strides (`β = 0` never reads C).
///
/// # Shapes
/// `a` `(m, k)`, `b` `(k, n)`, `c` `(m, n)`; panics if they do not agree (a programming error).
pub fn blocked(a: ArrayView2<f32>, b: ArrayView2<f32>, beta: f32, mut c: ArrayViewMut2<f32>) {
    let (m, k) = a.dim();
    let n = b.ncols();
    assert_eq!(b.nrows(), k, "inner dimensions agree");
    assert_eq!(c.dim(), (m, n), "C is m × n");
    if m == 0 || n == 0 {
        return;
    }
    // B's rows, contiguous: in place when B is in standard layout, else copied once (Wᵀ).
    let copied: Vec<f32>;
    let b_rows: &[f32] = match b.as_slice() {
        Some(s) => s,
        None => {
            copied = standard_copy(b);
            &copied
        }
    };
    let (rsa, csa) = (a.strides()[0], a.strides()[1]);
    let (rsc, csc) = (c.strides()[0], c.strides()[1]);
    let pa = a.as_ptr();
    let full = n - n % NR;
    let mut i = 0;
    while i < m {
        let rows = MR.min(m - i);
        // Taken afresh each turn: the column tail below writes through `c` itself.
        let pc = c.as_mut_ptr();
        // SAFETY: rows i..i + rows < m and columns j..j + NR ≤ n, with k the shared dimension;
        // the offsets use the views' own strides, so every read and write is inside A, B, C.
        unsafe {
            let a_i = pa.offset(i as isize * rsa);
            let c_i = pc.offset(i as isize * rsc);
            for j in (0..full).step_by(NR) {
                let b_j = b_rows.as_ptr().add(j);
                let c_ij = c_i.offset(j as isize * csc);
                match rows {
                    4 => block::<4>(k, a_i, rsa, csa, b_j, n, beta, c_ij, rsc, csc),
                    3 => block::<3>(k, a_i, rsa, csa, b_j, n, beta, c_ij, rsc, csc),
                    2 => block::<2>(k, a_i, rsa, csa, b_j, n, beta, c_ij, rsc, csc),
                    _ => block::<1>(k, a_i, rsa, csa, b_j, n, beta, c_ij, rsc, csc),
                }
            }
        }
        // The last n mod NR columns, one element at a time (the same order of summation).
        for r in i..i + rows {
            for j in full..n {
                let mut s = 0.0f32;
                for p in 0..k {
                    s += a[[r, p]] * b_rows[p * n + j];
                }
                let cij = &mut c[[r, j]];
                *cij = if beta == 0.0 { s } else { beta * *cij + s };
            }
        }
        i += rows;
    }
}

/// `b`'s elements in row-major order, read through its strides (for the transposed weights of
/// dy·Wᵀ, a copy on every call). One plain loop over offsets: in node's V8 a 45 × 64 × 64
/// product with a transposed B ran at 6.9 G multiply-adds per second with the copy walking
/// ndarray's column iterators and at 11.9 with this one (`x·W`: 12.8).
fn standard_copy(b: ArrayView2<f32>) -> Vec<f32> {
    let (k, n) = b.dim();
    let (rs, cs) = (b.strides()[0], b.strides()[1]);
    let pb = b.as_ptr();
    let mut out = vec![0.0f32; k * n];
    for (p, row) in out.chunks_exact_mut(n).enumerate() {
        for (j, o) in row.iter_mut().enumerate() {
            // SAFETY: p < k and j < n, so the offset is that of b[[p, j]], inside the view.
            *o = unsafe { *pb.offset(p as isize * rs + j as isize * cs) };
        }
    }
    out
}

/// One `R × NR` block of C: `C[r][q] ← Σ_p A[r][p]·B[p][q] + β·C[r][q]`.
///
/// In the browser a block whose rows are contiguous in C (every product the network makes) is
/// written with two vector stores per row: taking the eight sums out lane by lane, each with
/// its own address and β test, cost as much as the multiplications for the head's k = 16.
/// Both forms compute `β·C + sum` per element, so they give the same bits.
///
/// # Safety
/// `a` is row 0 of the block in A with strides `rsa`, `csa` (R rows, k columns valid); `b`
/// points at column 0 of the block in B's first row with rows `ldb` apart (k rows of NR
/// valid); `c` is the block's first element with strides `rsc`, `csc` (R × NR valid).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn block<const R: usize>(
    k: usize,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    ldb: usize,
    beta: f32,
    c: *mut f32,
    rsc: isize,
    csc: isize,
) {
    // SAFETY: as this function's contract says.
    let acc = unsafe { sums::<R>(k, a, rsa, csa, b, ldb) };
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if csc == 1 {
        use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128};
        let bv = f32x4_splat(beta);
        for (r, halves) in acc.iter().enumerate() {
            // SAFETY: row r's NR elements are contiguous (csc = 1) and inside C by the contract.
            unsafe {
                let row = c.offset(r as isize * rsc);
                for (h, &s) in halves.iter().enumerate() {
                    let at = row.add(4 * h) as *mut v128;
                    let out = if beta == 0.0 { s } else { f32x4_add(f32x4_mul(bv, at.read_unaligned()), s) };
                    at.write_unaligned(out);
                }
            }
        }
        return;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: a v128 is four f32 lanes.
    let acc = acc.map(|halves| unsafe { core::mem::transmute::<[core::arch::wasm32::v128; 2], [f32; NR]>(halves) });
    for (r, acc_r) in acc.iter().enumerate() {
        for (q, &s) in acc_r.iter().enumerate() {
            // SAFETY: as this function's contract says.
            let cij = unsafe { &mut *c.offset(r as isize * rsc + q as isize * csc) };
            *cij = if beta == 0.0 { s } else { beta * *cij + s };
        }
    }
}

/// The block's sums `Σ_p A[r][p]·B[p][q]`, p in order: with `simd128` lanes in the browser
/// (LLVM does not vectorise the portable form there; each row's eight sums as two vectors),
/// with plain arrays elsewhere. Both multiply, then add, in the same order, so they give the
/// same bits.
///
/// # Safety
/// As [`block`]'s.
#[inline(always)]
unsafe fn sums<const R: usize>(
    k: usize,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    ldb: usize,
) -> [Sums; R] {
    // SAFETY (both forms): A[r][p] and B's row p, NR wide, are inside A and B by the contract.
    let a_at = |r: usize, p: usize| unsafe { *a.offset(r as isize * rsa + p as isize * csa) };
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128};
        let mut acc = [[f32x4_splat(0.0); 2]; R];
        for p in 0..k {
            // Wasm loads may be unaligned.
            let (b0, b1) = unsafe {
                let row = b.add(p * ldb);
                ((row as *const v128).read_unaligned(), (row.add(4) as *const v128).read_unaligned())
            };
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let av = f32x4_splat(a_at(r, p));
                acc_r[0] = f32x4_add(acc_r[0], f32x4_mul(av, b0));
                acc_r[1] = f32x4_add(acc_r[1], f32x4_mul(av, b1));
            }
        }
        acc
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let mut acc = [[0.0f32; NR]; R];
        for p in 0..k {
            let bv = unsafe { (b.add(p * ldb) as *const [f32; NR]).read_unaligned() };
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let av = a_at(r, p);
                for q in 0..NR {
                    acc_r[q] += av * bv[q];
                }
            }
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::linalg::general_mat_mul;
    use ndarray::{Array2, ShapeBuilder};

    fn filled(rows: usize, cols: usize, seed: f32) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |(i, j)| ((i * 31 + j * 7) as f32 * 0.37 + seed).sin())
    }

    /// Every shape the network multiplies (forward, xᵀ·dy, dy·Wᵀ), remainders of both block
    /// sizes, and β of 0, 1 and 0.5, against ndarray's product.
    #[test]
    fn agrees_with_ndarray_on_every_layout() {
        for &(m, k, n) in
            &[(64, 64, 64), (37, 64, 32), (5, 32, 16), (32, 16, 16), (32, 16, 1), (3, 7, 9), (1, 1, 1), (9, 0, 8)]
        {
            for beta in [0.0f32, 1.0, 0.5] {
                let a = filled(m, k, 0.1);
                let b = filled(k, n, 0.2);
                let at = filled(k, m, 0.3); // used as A = atᵀ
                let bt = filled(n, k, 0.4); // used as B = btᵀ
                let c0 = filled(m, n, 0.5);
                let cases = [(a.view(), b.view()), (at.t(), b.view()), (a.view(), bt.t()), (at.t(), bt.t())];
                for (which, (a, b)) in cases.into_iter().enumerate() {
                    let mut want = c0.clone();
                    general_mat_mul(1.0, &a, &b, beta, &mut want);
                    let mut got = c0.clone();
                    blocked(a, b, beta, got.view_mut());
                    // A column-major C as well (the strides of C are honoured).
                    let mut got_f = Array2::from_shape_vec((m, n).f(), vec![0.0; m * n]).unwrap();
                    got_f.assign(&c0);
                    blocked(a, b, beta, got_f.view_mut());
                    for (g, w) in got.iter().zip(&want).chain(got_f.iter().zip(&want)) {
                        assert!(
                            (g - w).abs() <= 1e-4 * (1.0 + w.abs()),
                            "{m}×{k}×{n} case {which} β {beta}: {g} vs {w}"
                        );
                    }
                }
            }
        }
    }

    /// Each element is the sum over k in order, then β·C added: the same bits as the sum
    /// written out (the browser's `simd128` form is checked the same way in `tests/web.rs`).
    #[test]
    fn the_sum_in_order() {
        for &(m, k, n) in &[(45, 64, 64), (16, 32, 16), (7, 5, 9)] {
            let (a, bt, c0) = (filled(m, k, 0.1), filled(n, k, 0.4), filled(m, n, 0.5));
            let mut got = c0.clone();
            blocked(a.view(), bt.t(), 1.0, got.view_mut());
            for ((i, j), &g) in got.indexed_iter() {
                let s = (0..k).fold(0.0f32, |s, p| s + a[[i, p]] * bt[[j, p]]);
                assert_eq!(g.to_bits(), (c0[[i, j]] + s).to_bits());
            }
        }
    }

    #[test]
    fn beta_zero_ignores_what_c_held() {
        let a = filled(5, 3, 0.0);
        let b = filled(3, 10, 1.0);
        let mut c = Array2::from_elem((5, 10), f32::NAN);
        blocked(a.view(), b.view(), 0.0, c.view_mut());
        assert!(c.iter().all(|v| v.is_finite()));
    }

    /// The order of summation is fixed: the same inputs give the same bits, and a product
    /// whose exact result is representable comes out exact.
    #[test]
    fn exact_on_small_integers() {
        let a = Array2::from_shape_fn((6, 5), |(i, j)| (i as f32) - (j as f32));
        let b = Array2::from_shape_fn((5, 11), |(i, j)| (i * j) as f32 - 3.0);
        let mut want = Array2::zeros((6, 11));
        general_mat_mul(1.0, &a, &b, 0.0, &mut want);
        let mut got = Array2::zeros((6, 11));
        blocked(a.view(), b.view(), 0.0, got.view_mut());
        assert_eq!(got, want);
    }
}
