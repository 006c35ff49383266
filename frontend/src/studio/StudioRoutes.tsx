import { Route, Routes } from 'react-router-dom';
import { MediaLibrary } from '../media/MediaLibrary';
import { NotFound } from '../pages/NotFound';
import { PracticeActivityEditor } from '../practice/studio/PracticeActivityEditor';
import { PracticeStudioList } from '../practice/studio/PracticeStudioList';
import { AssessmentStats } from './AssessmentStats';
import { LessonEditor } from './LessonEditor';
import { ModuleEditor } from './ModuleEditor';
import { StudioHome } from './StudioHome';
import { VersionView } from './VersionView';

/** StudioRoutes are the instructor pages under /studio. */
export function StudioRoutes() {
  return (
    <Routes>
      <Route index element={<StudioHome />} />
      <Route path="new" element={<ModuleEditor />} />
      <Route path="modules/:slug" element={<ModuleEditor />} />
      <Route path="modules/:slug/lessons/:lesson" element={<LessonEditor />} />
      <Route path="modules/:slug/versions/:version" element={<VersionView />} />
      <Route path="assessments/:slug" element={<AssessmentStats />} />
      <Route path="media" element={<MediaLibrary />} />
      <Route path="practice" element={<PracticeStudioList />} />
      <Route path="practice/new" element={<PracticeActivityEditor />} />
      <Route path="practice/:slug" element={<PracticeActivityEditor />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
