/* nn_symbol and nn_symbol_info return exactly the rows of the table dumped
   from libnanomsg (argv[1]: nn_symbol_info.tsv), in order, then NULL / 0. */
#include "testutil.h"

int main (int argc, char **argv)
{
    FILE *f;
    char line [256];
    int rows = 0;
    int value;
    struct nn_symbol_properties p;

    REQUIRE (argc == 2);
    f = fopen (argv [1], "r");
    REQUIRE (f != NULL);
    REQUIRE (fgets (line, sizeof line, f) != NULL);   /* the heading */
    while (fgets (line, sizeof line, f)) {
        int index, val, ns, type, unit;
        char name [128];
        const char *got;
        if (sscanf (line, "%d\t%127s\t%d\t%d\t%d\t%d", &index, name, &val, &ns, &type, &unit) != 6)
            continue;
        CHECK (index == rows);
        got = nn_symbol (index, &value);
        REQUIRE (got != NULL);
        if (strcmp (got, name) != 0 || value != val)
            fprintf (stderr, "row %d: nn_symbol gives %s=%d, want %s=%d\n", index, got, value, name, val);
        CHECK (strcmp (got, name) == 0 && value == val);
        memset (&p, 0xa5, sizeof p);
        CHECK (nn_symbol_info (index, &p, (int) sizeof p) == (int) sizeof p);
        if (p.value != val || strcmp (p.name, name) || p.ns != ns || p.type != type || p.unit != unit)
            fprintf (stderr, "row %d: nn_symbol_info gives %s %d %d %d %d\n", index, p.name, p.value, p.ns, p.type, p.unit);
        CHECK (p.value == val && strcmp (p.name, name) == 0);
        CHECK (p.ns == ns && p.type == type && p.unit == unit);
        rows++;
    }
    fclose (f);
    CHECK (rows == 121);

    /* Past the end. */
    CHECK (nn_symbol (rows, &value) == NULL);
    CHECK (nn_errno () == EINVAL);
    CHECK (nn_symbol (-1, &value) == NULL);
    CHECK (nn_symbol_info (rows, &p, (int) sizeof p) == 0);
    CHECK (nn_symbol_info (-1, &p, (int) sizeof p) == 0);

    /* A short buffer gets what fits. */
    memset (&p, 0, sizeof p);
    CHECK (nn_symbol_info (46, &p, (int) sizeof (int)) == (int) sizeof (int));
    CHECK (p.value == NN_LINGER && p.name == NULL);

    /* NULL where the row must go. */
    errno = 0;
    CHECK (nn_symbol_info (0, NULL, (int) sizeof p) == 0);
    CHECK (errno == EFAULT);

    /* The usual loop ends. */
    for (value = 0; nn_symbol_info (value, &p, (int) sizeof p); value++)
        ;
    CHECK (value == rows);
    return test_result ("symbols");
}
