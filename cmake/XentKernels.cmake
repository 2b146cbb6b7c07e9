# xent_kernel_library(isa flags): the kernels of one ISA, compiled twice
# from the same source (own log, and the SLEEF log backend) with that ISA's
# flags only.
function(xent_kernel_library isa flags)
  add_library(xent_${isa} OBJECT
    ${PROJECT_SOURCE_DIR}/src/${isa}/kernels.c
    ${PROJECT_SOURCE_DIR}/src/${isa}/kernels_sleef.c)
  target_include_directories(xent_${isa} PRIVATE
    ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src ${SLEEF_INCLUDE_DIR})
  target_compile_options(xent_${isa} PRIVATE ${flags})
  set_target_properties(xent_${isa} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
