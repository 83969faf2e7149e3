// Copyright: (c) 2026, ipam.provisioning contributors
// GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
//
// The assemblies a winsim pwsh worker has compiled from Ansible's C# utils, by a hash of their
// sources: a process-wide static, so every runspace of the worker sees it (see pool.py).
using System.Collections.Concurrent;

namespace WinSim
{
    public static class CompileCache
    {
        public static readonly ConcurrentDictionary<string, object> Assemblies = new ConcurrentDictionary<string, object>();
    }
}
