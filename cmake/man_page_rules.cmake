# migrate_add_man_pages(<target> <name> <summary> [NO_DISCARD_STDERR]): the man pages of an executable,
# generated at build time from its own --help by help2man (cmake/man_pages.cmake: <name>(1) and one page per
# subcommand), installed gzipped into share/man/man1 with the tools package (cmake/packaging.cmake).
option(MIGRATE_MAN_PAGES "Generate the tools' man pages from their --help with help2man" ON)
if(MIGRATE_MAN_PAGES)
  find_program(MIGRATE_HELP2MAN help2man)
  if(NOT MIGRATE_HELP2MAN)
    message(FATAL_ERROR "help2man not found (scripts/bootstrap installs it); or configure with -DMIGRATE_MAN_PAGES=OFF")
  endif()
endif()

function(migrate_add_man_pages target name summary)
  if(NOT MIGRATE_MAN_PAGES)
    return()
  endif()
  cmake_parse_arguments(arg "NO_DISCARD_STDERR" "" "" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/man)
  set(script ${PROJECT_SOURCE_DIR}/cmake/man_pages.cmake)
  add_custom_command(
    OUTPUT ${out}.stamp
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}> -DNAME=${name} -DSUMMARY=${summary}
            -DVERSION=${PROJECT_VERSION} -DHELP2MAN=${MIGRATE_HELP2MAN} -DOUT_DIR=${out}
            -DNO_DISCARD_STDERR=${arg_NO_DISCARD_STDERR} -P ${script}
    COMMAND ${CMAKE_COMMAND} -E touch ${out}.stamp
    DEPENDS ${target} ${script}
    COMMENT "Man pages of ${name} (help2man)"
    VERBATIM)
  add_custom_target(${name}-man-pages ALL DEPENDS ${out}.stamp)
  install(DIRECTORY ${out}/man1/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
endfunction()
