; Inno Setup 6 script: a per-user installer for Windows that needs no administrator rights.
; Built by `python installer/build.py` on Windows, which passes the defines below; by hand:
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\pyinstaller\testlearn ^
;        /DOutputDir=..\..\dist /DAssetsDir=..\assets testlearn.iss

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (installer/build.py reads it from testlearn/__init__.py)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\pyinstaller\testlearn"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef AssetsDir
  #define AssetsDir "..\assets"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{96EE536F-3872-448B-BAC1-65109B69DD45}
AppName=testlearn
AppVersion={#AppVersion}
AppVerName=testlearn {#AppVersion}
AppPublisher=testlearn
VersionInfoVersion={#AppVersion}
; Per-user: {autopf} is %LOCALAPPDATA%\Programs and the shortcuts go to the user's Start menu,
; so a civil servant without administrator rights can install and update it.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\testlearn
DefaultGroupName=testlearn
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=testlearn-{#AppVersion}-windows-setup
SetupIconFile={#AssetsDir}\testlearn.ico
UninstallDisplayIcon={app}\testlearn.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An update replaces the whole folder, so no file of the old version lingers.
CloseApplications=yes

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\testlearn"; Filename: "{app}\testlearn.exe"; Comment: "Register, analyse and report test-and-learn pilots"
Name: "{autodesktop}\testlearn"; Filename: "{app}\testlearn.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Put testlearn on the desktop"; Flags: unchecked

[Run]
Filename: "{app}\testlearn.exe"; Description: "Start testlearn"; Flags: nowait postinstall skipifsilent

; Databases live in %LOCALAPPDATA%\testlearn and are left alone by the uninstaller on purpose.
