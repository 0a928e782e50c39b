# The Debian packages (CPack DEB, one package per install component), included at the end of the root CMakeLists.txt
# once every install() rule is known:
#   clinicflow         component client: the desktop app, its .desktop entry and icon, clinicflow-journey
#   clinicflow-server  component server: the server, its systemd unit, /etc/default/clinicflow-server (a conffile),
#                      its system user (sysusers.d), clinicflow-server-admin (the admin commands as that user)
# Build them from a built tree: cpack -G DEB --config build/CPackConfig.cmake -B <folder>
# (tests/packaging/debian checks them). The app's translations are no files: lrelease's .qm are embedded in the
# binary under :/i18n/ (translations/CMakeLists.txt).
include(GNUInstallDirs)

set(CLINICFLOW_PACKAGE_MAINTAINER "ClinicFlow maintainers <maintainers@clinicflow.invalid>"
    CACHE STRING "Maintainer field of the Debian packages")
set(CLINICFLOW_PACKAGE_RELEASE "1" CACHE STRING "Debian revision of the packages (the part after the version's -)")
# Debian 12 keeps packages' units in /lib (its merged /usr moratorium); later releases use /usr/lib/systemd/system.
set(CLINICFLOW_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the server's systemd unit is installed")
set(CLINICFLOW_DEFAULTS_FILE "/etc/default/clinicflow-server")

if(TARGET clinicflow-server)
    set(_cf_out ${CMAKE_CURRENT_BINARY_DIR}/packaging/debian)
    # The unit names the binary by its installed path, known only at install time: /usr under cpack, the prefix
    # under a plain cmake --install. It is filled in then, into DESTDIR like every other file.
    set(CLINICFLOW_SERVER_BIN "@CLINICFLOW_SERVER_BIN@")
    configure_file(${PROJECT_SOURCE_DIR}/packaging/systemd/clinicflow-server.service.in
                   ${_cf_out}/clinicflow-server.service.in @ONLY)
    string(CONFIGURE [[
        set(CLINICFLOW_SERVER_BIN "${CMAKE_INSTALL_PREFIX}/@CMAKE_INSTALL_BINDIR@/clinicflow-server")
        set(unit "$ENV{DESTDIR}@CLINICFLOW_SYSTEMD_UNIT_DIR@/clinicflow-server.service")
        message(STATUS "Installing: ${unit}")
        configure_file("@_cf_out@/clinicflow-server.service.in" "${unit}" @ONLY)
        file(CHMOD "${unit}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
        list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${unit}")
    ]] _cf_install_unit @ONLY)
    install(CODE "${_cf_install_unit}" COMPONENT server)

    install(FILES ${CMAKE_CURRENT_LIST_DIR}/clinicflow-server.default DESTINATION /etc/default
            RENAME clinicflow-server COMPONENT server)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/clinicflow-server.sysusers
            DESTINATION lib/sysusers.d RENAME clinicflow-server.conf COMPONENT server)

    file(RELATIVE_PATH CLINICFLOW_SBIN_TO_BIN ${CMAKE_INSTALL_FULL_SBINDIR} ${CMAKE_INSTALL_FULL_BINDIR})
    configure_file(${CMAKE_CURRENT_LIST_DIR}/clinicflow-server-admin.in ${_cf_out}/clinicflow-server-admin @ONLY)
    install(PROGRAMS ${_cf_out}/clinicflow-server-admin DESTINATION ${CMAKE_INSTALL_SBINDIR} COMPONENT server)
endif()

# No RUNPATH in the installed binaries (qt_standard_project_setup gives them $ORIGIN/../lib): every library they
# load is the system's, and Debian's policy wants none.
foreach(_cf_target clinicflow clinicflow-journey clinicflow-server)
    if(TARGET ${_cf_target})
        set_target_properties(${_cf_target} PROPERTIES INSTALL_RPATH "")
    endif()
endforeach()

# Only the components this configuration builds (CLINICFLOW_BUILD_SERVER, CLINICFLOW_BUILD_CLIENT).
set(_cf_components "")
if(TARGET clinicflow-server)
    list(APPEND _cf_components server)
endif()
if(TARGET clinicflow-journey OR TARGET clinicflow)
    list(APPEND _cf_components client)
endif()
# An install() without COMPONENT lands in "Unspecified", which no package holds: say so (the test fails on it too).
get_cmake_property(_cf_unpackaged COMPONENTS)
list(REMOVE_ITEM _cf_unpackaged ${_cf_components})
if(_cf_unpackaged)
    message(WARNING "install() rules in components no Debian package holds: ${_cf_unpackaged} (give each a COMPONENT)")
endif()

set(CPACK_PACKAGE_NAME clinicflow)
set(CPACK_PACKAGE_VENDOR ClinicFlow)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# CPackDeb puts any other summary than its default before each package's description, whose first line is already
# its synopsis.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_CONTACT "${CLINICFLOW_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL ${_cf_components})
set(CPACK_STRIP_FILES ON)
# DESTDIR staging under /usr, so that the files outside the prefix (/etc/default, the unit) land in the package.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CLINICFLOW_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CLINICFLOW_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps (dpkg-dev) turns the linked libraries into dependencies; the plugins Qt loads at run time are named
# below, since no binary links them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME clinicflow)
set(CPACK_DEBIAN_CLIENT_PACKAGE_SECTION misc)
# The station's store is SQLite through Qt's driver; the icons are SVG (Qt's image format and icon engine plugins).
# X11's platform plugin comes with libqt6gui6 (found by shlibdeps); Wayland's is qt6-wayland. Qt's own dialogs in
# Korean need qtbase_ko.qm; Korean text needs a Korean font.
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6")
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "fonts-nanum, qt6-translations-l10n")
set(CPACK_DEBIAN_CLIENT_PACKAGE_SUGGESTS "qt6-wayland, clinicflow-server")
set(CPACK_COMPONENT_CLIENT_DISPLAY_NAME "ClinicFlow desktop app")
set(CPACK_COMPONENT_CLIENT_DESCRIPTION [[patient flow from the front desk to the end of treatment (desktop app)
ClinicFlow follows a hospital patient from the front desk to the end of
treatment: registration, the doctor's queue, examinations, review and the
outcome, with a live status board.
.
This package holds the desktop app, clinicflow, one app for every role (front
desk, doctor, examiner, status board), in English and Korean. Each workstation
is enrolled by the server's operator and keeps working offline. It also holds
clinicflow-journey, which plays one patient's journey through a server with
four headless stations, to check an installation.]])

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME clinicflow-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
# SQLite through Qt's driver is the default database; PostgreSQL (--database postgresql://...) needs Qt's psql driver.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite, adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "libqt6sql6-psql")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "clinicflow")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/server/postinst ${CMAKE_CURRENT_LIST_DIR}/server/prerm
    ${CMAKE_CURRENT_LIST_DIR}/server/postrm ${CMAKE_CURRENT_LIST_DIR}/server/conffiles)
set(CPACK_COMPONENT_SERVER_DISPLAY_NAME "ClinicFlow server")
set(CPACK_COMPONENT_SERVER_DESCRIPTION [[patient flow from the front desk to the end of treatment (server)
ClinicFlow follows a hospital patient from the front desk to the end of
treatment: registration, the doctor's queue, examinations, review and the
outcome, with a live status board.
.
This package holds clinicflow-server, which the workstations reach over
ZeroMQ (CURVE, enrolled stations only), as a systemd service running as its
own user with its data in /var/lib/clinicflow (SQLite, or PostgreSQL), its
settings in /etc/default/clinicflow-server and its JSON log lines in the
journal; health, metrics and a read-only API over HTTP; and
clinicflow-server-admin, which enrols, lists and revokes stations as the
service's user.]])

include(CPack)
