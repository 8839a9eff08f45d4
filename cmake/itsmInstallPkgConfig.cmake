# SPDX-License-Identifier: Apache-2.0
# Run by `cmake --install` (install(SCRIPT) in CMakeLists.txt): writes
# itsm.pc for the prefix being installed into and installs it. The
# variables ITSM_PC_* and PROJECT_* are set by the install(CODE) just
# before. The paths are absolute and normalised, so pkg-config prints
# -I<prefix>/include and -L<prefix>/lib, whatever --prefix was given.
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${ITSM_PC_${_dir}_REL}")
    set(_abs "${ITSM_PC_${_dir}_REL}")
  else()
    set(_abs "${CMAKE_INSTALL_PREFIX}/${ITSM_PC_${_dir}_REL}")
  endif()
  file(TO_CMAKE_PATH "${_abs}" _abs)
  get_filename_component(_abs "${_abs}" ABSOLUTE)
  set(ITSM_PC_${_dir} "${_abs}")
endforeach()
get_filename_component(ITSM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}" ABSOLUTE)
# Written with ${prefix} where a path lies under it, as pkg-config files do.
foreach(_dir LIBDIR INCLUDEDIR)
  string(FIND "${ITSM_PC_${_dir}}/" "${ITSM_PC_PREFIX}/" _at)
  if(_at EQUAL 0 AND NOT ITSM_PC_PREFIX STREQUAL "/")
    string(LENGTH "${ITSM_PC_PREFIX}" _n)
    string(SUBSTRING "${ITSM_PC_${_dir}}" ${_n} -1 _rest)
    set(ITSM_PC_${_dir} "\${prefix}${_rest}")
  endif()
endforeach()
configure_file("${ITSM_PC_TEMPLATE}" "${ITSM_PC_OUT}" @ONLY)
if(IS_ABSOLUTE "${ITSM_PC_LIBDIR_REL}")
  set(_pcdir "${ITSM_PC_LIBDIR_REL}/pkgconfig")
else()
  set(_pcdir "${CMAKE_INSTALL_PREFIX}/${ITSM_PC_LIBDIR_REL}/pkgconfig")
endif()
file(INSTALL DESTINATION "${_pcdir}" TYPE FILE FILES "${ITSM_PC_OUT}")
