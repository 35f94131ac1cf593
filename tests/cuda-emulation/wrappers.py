"""Writes wrappers.gen.cpp: for every extern "C" kernel of the .cu files, a function that unpacks cuLaunchKernel's
void** parameter array into the kernel's typed parameters, registered by name (used by fake_cuda.cpp)."""
import re
import sys

out = []
for path in sys.argv[1:]:
    for m in re.finditer(r'extern "C" __global__ void (\w+)\(([^)]*)\)', open(path).read()):
        name, params = m.group(1), [p.strip() for p in m.group(2).split(",")]
        args = [f"*({p.rsplit(' ', 1)[0].strip()}*)a[{i}]" for i, p in enumerate(params)]
        out.append(f'static void call_{name}(void** a) {{ {name}({", ".join(args)}); }}')
        out.append(f'static int reg_{name} = (table()["{name}"] = call_{name}, 0);')
print("\n".join(out))
