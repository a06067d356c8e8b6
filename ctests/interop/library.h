/* Shared by the interop programs: tells the harness which libnanomsg this
   process really runs on, as seen in /proc/self/maps. */
#ifndef NNRS_INTEROP_LIBRARY_H
#define NNRS_INTEROP_LIBRARY_H

#include <stdio.h>
#include <string.h>

/* Prints "<who>: library <path>"; the harness looks for that line. */
static void print_library (const char *who)
{
    char line [4096];
    FILE *maps = fopen ("/proc/self/maps", "r");
    if (!maps) {
        printf ("%s: library unknown\n", who);
        return;
    }
    while (fgets (line, sizeof line, maps)) {
        char *path = strchr (line, '/');
        if (path && strstr (path, "libnanomsg")) {
            path [strcspn (path, "\n")] = 0;
            printf ("%s: library %s\n", who, path);
            fclose (maps);
            return;
        }
    }
    fclose (maps);
    printf ("%s: library not found in /proc/self/maps\n", who);
}

#endif
