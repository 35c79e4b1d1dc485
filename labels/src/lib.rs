//! `spares-labels`: QR box labels and QR decoding from photos. Not built yet — see the labels issue.
