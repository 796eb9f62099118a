# Debian packages with CPack (`make package`, or cpack in the build dir): three component packages of the
# install() rules' COMPONENTs.
#   libmigrate<SOVERSION>  runtime: libmigrate.so.<SOVERSION>*, the driver plugins (lib/libmigrate/*.so), the docs
#   libmigrate-dev         dev: headers (the driver SDK's too), the libmigrate.so link, CMake package, libmigrate.pc
#   migrate-tools          tools: migrate, migrate-driver-check, psdb-gateway, their man pages, bash completion
# The runtime package is named after the library's SONAME (libmigrate.so.0: libmigrate0), as Debian names
# shared library packages, so that a future libmigrate.so.1 can be installed beside it.
set(MIGRATE_SOVERSION ${PROJECT_VERSION_MAJOR})  # libmigrate/CMakeLists.txt: SOVERSION ${PROJECT_VERSION_MAJOR}
set(MIGRATE_RUNTIME_PACKAGE libmigrate${MIGRATE_SOVERSION})

# cpack packages what has been built: without this it first builds the whole tree (every test and benchmark,
# which a package holds none of) through the install's dependency on `all`. `make package` builds first; the
# packaging test (tests/packaging) runs cpack on the build it belongs to.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libmigrate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "libmigrate")
set(CPACK_PACKAGE_CONTACT "libmigrate maintainers <libmigrate@localhost>")
# Debian's prefix, whatever CMAKE_INSTALL_PREFIX the build has: the installed tree is relocatable (the CLI
# finds libmigrate.so at $ORIGIN/../lib, the library its drivers next to itself, the CMake package and the .pc
# their prefix from their own location).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # a RelWithDebInfo build's debug info (and the build paths in it) stays out
set(CPACK_OUTPUT_FILE_PREFIX packages)  # relative to where cpack runs: make package runs it in the build dir

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <package>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_COMPONENT_RUNTIME_DISPLAY_NAME "libmigrate runtime")
set(CPACK_COMPONENT_DEV_DISPLAY_NAME "libmigrate development files")
set(CPACK_COMPONENT_TOOLS_DISPLAY_NAME "migrate command-line tools")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${MIGRATE_RUNTIME_PACKAGE})
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmigrate-dev)
set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME migrate-tools)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION database)
# Debian descriptions: the synopsis line, then the long description (one string each: a CMake list would
# put ";" into the control file). No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would make it every synopsis.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "C++20 library applying drizzle-kit MySQL migration folders
libmigrate applies the migration folders drizzle-kit generates for MySQL, MariaDB, Vitess and \
PlanetScale exactly as drizzle does, with locking, resumable statements and baselines. This package \
holds the shared library, its driver plugins and the documentation.")
set(CPACK_DEBIAN_DEV_DESCRIPTION "libmigrate development files
Headers (the C++ and C APIs and the driver SDK), the CMake package (find_package(libmigrate)) and \
the pkg-config file of libmigrate.")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "migrate command-line tool for drizzle-kit MySQL migrations
migrate (status, up, plan, verify, baseline, lint, a TUI, ...), migrate-driver-check (driver \
conformance checks) and psdb-gateway (PlanetScale's HTTP API over a MySQL/MariaDB server), with man \
pages and bash completion.")
# The dev and tools packages need the runtime of the very same version: CPack writes "libmigrate0 (= x.y.z)".
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
set(CPACK_COMPONENT_TOOLS_DEPENDS runtime)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

# Depends on system libraries (libc, libstdc++, Boost, libmysqlclient, OpenSSL, ncurses) computed by
# dpkg-shlibdeps from the ELF files. libmigrate.so.0 itself is found in the build's lib/ (the tools and the
# library's packages are built apart, so dpkg-shlibdeps sees no package for it and leaves it to the component
# dependency above). The runtime package gets a shlibs file (and the ldconfig trigger) for other packages.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)  # only a package with a shared library gets one
set(CPACK_DEBIAN_RUNTIME_PACKAGE_GENERATE_SHLIBS_POLICY "=")  # 0.x: the ABI may change per version

include(CPack)
