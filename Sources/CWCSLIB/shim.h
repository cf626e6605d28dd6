#include <wcslib/wcs.h>
#include <wcslib/wcshdr.h>
#include <wcslib/wcsfix.h>
#include <wcslib/wcsunits.h>
#include <wcslib/sph.h>
#include <wcslib/dis.h>
#include <wcslib/lin.h>
