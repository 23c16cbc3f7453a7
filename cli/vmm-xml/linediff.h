/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linediff.h: the lines that differ between two texts, for vmm-xml diff. */
#pragma once

#include <stdio.h>

/* Prints "-LINE" for lines only in `a` and "+LINE" for lines only in `b`
 * (a longest-common-subsequence diff, each with its line number in its
 * own text), or a note when the texts are too large to compare by line.
 * Returns the number of differing lines. */
int vmm_linediff_print(FILE *out, const char *a, const char *b);
