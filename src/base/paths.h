/* paths.h: where the data files (kb/, templates/) are: beside a build in the source tree,
 * or under the installed prefix. */
#ifndef TORREADY_PATHS_H
#define TORREADY_PATHS_H

/* The directory holding kb/ and templates/: $TORREADY_DATADIR, else the source tree the
 * binary was built in (found from /proc/self/exe), else the compiled-in install path. */
const char *paths_datadir(void);
/* paths_datadir()/sub, in a static buffer per call site's copy (caller copies if needed). */
const char *paths_data(const char *sub, char *out, unsigned long len);

#endif
