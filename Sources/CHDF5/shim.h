// Debian installs the serial HDF5 headers under hdf5/serial and the library as
// libhdf5_serial.so in the default search path, so neither -I nor -L is needed.
// The header's own includes are quoted, which keeps them inside that folder.
#include <hdf5/serial/hdf5.h>

// Swift cannot import these macros: they expand to `(H5open(), H5T_NATIVE_FLOAT_g)`
// or similar comma expressions, or to casts Swift does not evaluate. Static inline
// wrappers give Swift a callable with the right type and need no C target.
static inline hid_t chdf5_native_float(void)   { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void)  { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_native_int64(void)   { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_ieee_f32le(void)     { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_ieee_f64le(void)     { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_std_i64le(void)      { return H5T_STD_I64LE; }
static inline hid_t chdf5_c_s1(void)           { return H5T_C_S1; }
static inline unsigned chdf5_acc_rdonly(void)  { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_acc_rdwr(void)    { return H5F_ACC_RDWR; }
static inline unsigned chdf5_acc_trunc(void)   { return H5F_ACC_TRUNC; }
static inline hid_t chdf5_p_default(void)      { return H5P_DEFAULT; }
static inline hid_t chdf5_p_file_access(void)  { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_p_link_create(void)  { return H5P_LINK_CREATE; }
static inline hid_t chdf5_s_all(void)          { return H5S_ALL; }
static inline hid_t chdf5_e_default(void)      { return H5E_DEFAULT; }
static inline size_t chdf5_variable(void)      { return H5T_VARIABLE; }
