// Debian's cblas.h is an alternatives link: the netlib header from libblas-dev or
// OpenBLAS's from libopenblas-dev. Both declare the same CBLAS API; at run time
// libblas.so.3 resolves to OpenBLAS when libopenblas0-pthread is installed.
#include <cblas.h>
